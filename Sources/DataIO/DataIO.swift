// DataIO library.
