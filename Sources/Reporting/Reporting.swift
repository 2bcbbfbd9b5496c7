// Reporting library.
