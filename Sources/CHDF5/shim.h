// libhdf5, serial build (Debian: libhdf5-dev; pkg-config: hdf5-serial, headers under
// /usr/include/hdf5/serial). Used to read the weights (model.weights.h5) of Keras 3 archives.
#include <hdf5.h>

// The property-list classes, native types and the default error stack are macros that call
// H5open() and read a global: Swift cannot import them, so they are wrapped here.
static inline hid_t chdf5_file_access_plist(void) { return H5Pcreate(H5P_FILE_ACCESS); }
static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_default(void) { return H5P_DEFAULT; }
/// Stops the library printing its error stack on stderr: callers report errors themselves.
static inline void chdf5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
static inline unsigned chdf5_read_only(void) { return H5F_ACC_RDONLY; }
