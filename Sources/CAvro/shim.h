// libavro's public API through one header, plus inline wrappers for the parts that are macros
// (Swift cannot call C macros). Used only by differential tests and benchmarks.
#ifndef ACCORD_CAVRO_SHIM_H
#define ACCORD_CAVRO_SHIM_H
#include <avro.h>
#include <stdlib.h>

static inline int cavro_value_get_size(const avro_value_t *v, size_t *size) { return avro_value_get_size(v, size); }
static inline int cavro_value_reset(avro_value_t *v) { return avro_value_reset(v); }
static inline void cavro_value_decref(avro_value_t *v) { avro_value_decref(v); }
static inline void cavro_value_iface_decref(avro_value_iface_t *iface) { avro_value_iface_decref(iface); }
static inline avro_type_t cavro_value_get_type(const avro_value_t *v) { return avro_value_get_type(v); }
static inline int cavro_value_get_boolean(const avro_value_t *v, int *out) { return avro_value_get_boolean(v, out); }
static inline int cavro_value_get_int(const avro_value_t *v, int32_t *out) { return avro_value_get_int(v, out); }
static inline int cavro_value_get_long(const avro_value_t *v, int64_t *out) { return avro_value_get_long(v, out); }
static inline int cavro_value_get_float(const avro_value_t *v, float *out) { return avro_value_get_float(v, out); }
static inline int cavro_value_get_double(const avro_value_t *v, double *out) { return avro_value_get_double(v, out); }
static inline int cavro_value_get_string(const avro_value_t *v, const char **out, size_t *size) { return avro_value_get_string(v, out, size); }
static inline int cavro_value_get_bytes(const avro_value_t *v, const void **out, size_t *size) { return avro_value_get_bytes(v, out, size); }
static inline int cavro_value_get_fixed(const avro_value_t *v, const void **out, size_t *size) { return avro_value_get_fixed(v, out, size); }
static inline int cavro_value_get_enum(const avro_value_t *v, int *out) { return avro_value_get_enum(v, out); }
static inline int cavro_value_get_discriminant(const avro_value_t *v, int *out) { return avro_value_get_discriminant(v, out); }
static inline int cavro_value_get_current_branch(const avro_value_t *v, avro_value_t *branch) { return avro_value_get_current_branch(v, branch); }
static inline int cavro_value_get_by_index(const avro_value_t *v, size_t index, avro_value_t *child, const char **name) { return avro_value_get_by_index(v, index, child, name); }
static inline int cavro_value_set_boolean(avro_value_t *v, int val) { return avro_value_set_boolean(v, val); }
static inline int cavro_value_set_int(avro_value_t *v, int32_t val) { return avro_value_set_int(v, val); }
static inline int cavro_value_set_long(avro_value_t *v, int64_t val) { return avro_value_set_long(v, val); }
static inline int cavro_value_set_float(avro_value_t *v, float val) { return avro_value_set_float(v, val); }
static inline int cavro_value_set_double(avro_value_t *v, double val) { return avro_value_set_double(v, val); }
static inline int cavro_value_set_null(avro_value_t *v) { return avro_value_set_null(v); }
static inline int cavro_value_set_string_len(avro_value_t *v, const char *s, size_t size) { return avro_value_set_string_len(v, s, size); }
static inline int cavro_value_set_bytes(avro_value_t *v, void *buf, size_t size) { return avro_value_set_bytes(v, buf, size); }
static inline int cavro_value_set_fixed(avro_value_t *v, void *buf, size_t size) { return avro_value_set_fixed(v, buf, size); }
static inline int cavro_value_set_enum(avro_value_t *v, int val) { return avro_value_set_enum(v, val); }
static inline int cavro_value_set_branch(avro_value_t *v, int discriminant, avro_value_t *branch) { return avro_value_set_branch(v, discriminant, branch); }
static inline int cavro_value_append(avro_value_t *v, avro_value_t *child, size_t *new_index) { return avro_value_append(v, child, new_index); }
static inline int cavro_value_add(avro_value_t *v, const char *key, avro_value_t *child, size_t *index, int *is_new) { return avro_value_add(v, key, child, index, is_new); }
static inline int cavro_value_get_by_name(const avro_value_t *v, const char *name, avro_value_t *child, size_t *index) { return avro_value_get_by_name(v, name, child, index); }
static inline int cavro_generic_value_new(avro_value_iface_t *iface, avro_value_t *dest) { return avro_generic_value_new(iface, dest); }
static inline int cavro_value_sizeof(avro_value_t *v, size_t *size) { return avro_value_sizeof(v, size); }
static inline int cavro_value_write(avro_writer_t w, avro_value_t *v) { return avro_value_write(w, v); }
static inline int cavro_value_read(avro_reader_t r, avro_value_t *v) { return avro_value_read(r, v); }
static inline int cavro_value_get_null(const avro_value_t *v) { return avro_value_get_null(v); }
static inline avro_schema_t cavro_value_get_schema(const avro_value_t *v) { return avro_value_get_schema(v); }
static inline int cavro_value_set_string(avro_value_t *v, const char *s) { return avro_value_set_string(v, s); }
/// Clears libavro's per-thread error text (avro_set_error is variadic, which Swift cannot call).
static inline void cavro_clear_error(void) { avro_set_error("%s", ""); }
/// An avro_allocator_t over realloc/free that keeps the number of live bytes in *user_data
/// (libavro passes the old size on every reallocation and free, so the count is exact).
static inline void *cavro_counting_allocator(void *user_data, void *ptr, size_t osize, size_t nsize) {
    int64_t *live = (int64_t *) user_data;
    if (nsize == 0) {
        free(ptr);
        __atomic_sub_fetch(live, (int64_t) osize, __ATOMIC_RELAXED);
        return NULL;
    }
    void *result = realloc(ptr, nsize);
    if (result != NULL) {
        __atomic_add_fetch(live, (int64_t) nsize - (int64_t) osize, __ATOMIC_RELAXED);
    }
    return result;
}
/// Routes every libavro allocation through cavro_counting_allocator, counting into *live.
static inline void cavro_install_counting_allocator(int64_t *live) { avro_set_allocator(cavro_counting_allocator, live); }
#endif
