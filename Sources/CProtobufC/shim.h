// libprotobuf-c's public API for differential tests and benchmarks only, plus a small shim that builds
// message descriptors at run time from flat field specs (which Swift makes from our FileDescriptorProtos)
// and counts every byte protobuf-c allocates.
//
// protobuf-c normally works on C structs and descriptors that protoc-c generates. The shim lays out an
// equivalent struct per message: the ProtobufCMessage header, then one slot per field (a quantifier slot
// before it for optional and repeated fields), and one shared case slot plus value slot per oneof.
// Descriptors have message_init == NULL, so protobuf-c initialises messages from the fields' default
// values itself.
#ifndef ACCORD_CPROTOBUFC_SHIM_H
#define ACCORD_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// MARK: - Counting allocator

/// Live allocations made through cpbc_counting_allocator.
typedef struct {
    int64_t live_bytes;
    int64_t live_blocks;
    int64_t total_blocks;
} cpbc_alloc_stats;

/// Every block carries its size in a 16-byte header (protobuf-c's free callback gets no size).
static inline void *cpbc_counting_alloc(void *data, size_t size) {
    cpbc_alloc_stats *stats = (cpbc_alloc_stats *) data;
    unsigned char *block = (unsigned char *) malloc(size + 16);
    if (block == NULL) return NULL;
    memcpy(block, &size, sizeof size);
    __atomic_add_fetch(&stats->live_bytes, (int64_t) size, __ATOMIC_RELAXED);
    __atomic_add_fetch(&stats->live_blocks, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&stats->total_blocks, 1, __ATOMIC_RELAXED);
    return block + 16;
}

static inline void cpbc_counting_free(void *data, void *pointer) {
    if (pointer == NULL) return;
    cpbc_alloc_stats *stats = (cpbc_alloc_stats *) data;
    unsigned char *block = (unsigned char *) pointer - 16;
    size_t size;
    memcpy(&size, block, sizeof size);
    __atomic_sub_fetch(&stats->live_bytes, (int64_t) size, __ATOMIC_RELAXED);
    __atomic_sub_fetch(&stats->live_blocks, 1, __ATOMIC_RELAXED);
    free(block);
}

/// An allocator that counts into *stats; pass it to unpack, free_unpacked and the builders below.
static inline ProtobufCAllocator cpbc_counting_allocator(cpbc_alloc_stats *stats) {
    ProtobufCAllocator allocator;
    allocator.alloc = cpbc_counting_alloc;
    allocator.free = cpbc_counting_free;
    allocator.allocator_data = stats;
    return allocator;
}

// MARK: - Descriptors from flat specs

/// One field as Swift describes it. `label` and `type` are ProtobufCLabel and ProtobufCType values.
typedef struct {
    const char *name;
    uint32_t number;
    int label;
    int type;
    int packed;
    /// Index of the field's (real) oneof in its message, or -1.
    int oneof_index;
    /// The default value's bytes (NULL for none): 4 or 8 bytes little-endian for numbers, 4 for bool,
    /// the UTF-8 text (without NUL) for string, the raw bytes for bytes.
    const uint8_t *default_bytes;
    size_t default_length;
} cpbc_field_spec;

static inline size_t cpbc_value_size(int type) {
    return type == PROTOBUF_C_TYPE_BYTES ? sizeof(ProtobufCBinaryData) : 8;
}

static inline int cpbc_compare_numbers(const void *a, const void *b) {
    uint32_t x = ((const ProtobufCFieldDescriptor *) a)->id, y = ((const ProtobufCFieldDescriptor *) b)->id;
    return x < y ? -1 : x > y;
}

static inline char *cpbc_strdup(const char *text) {
    size_t length = strlen(text) + 1;
    char *copy = (char *) malloc(length);
    if (copy != NULL) memcpy(copy, text, length);
    return copy;
}

/// Copies a default value into storage the descriptor owns; NULL when there is none (or out of memory).
static inline void *cpbc_default_value(const cpbc_field_spec *spec) {
    if (spec->default_bytes == NULL) return NULL;
    switch (spec->type) {
    case PROTOBUF_C_TYPE_STRING: {
        char *text = (char *) malloc(spec->default_length + 1);
        if (text == NULL) return NULL;
        memcpy(text, spec->default_bytes, spec->default_length);
        text[spec->default_length] = 0;
        return text;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        ProtobufCBinaryData *data = (ProtobufCBinaryData *) malloc(sizeof *data + spec->default_length + 1);
        if (data == NULL) return NULL;
        data->len = spec->default_length;
        data->data = (uint8_t *) (data + 1);
        memcpy(data->data, spec->default_bytes, spec->default_length);
        return data;
    }
    case PROTOBUF_C_TYPE_MESSAGE:
        return NULL;
    default: {
        void *value = calloc(1, 8);
        if (value != NULL) memcpy(value, spec->default_bytes, spec->default_length > 8 ? 8 : spec->default_length);
        return value;
    }
    }
}

/// Frees a descriptor made by cpbc_descriptor_new (NULL is fine).
static inline void cpbc_descriptor_free(ProtobufCMessageDescriptor *descriptor) {
    if (descriptor == NULL) return;
    ProtobufCFieldDescriptor *fields = (ProtobufCFieldDescriptor *) descriptor->fields;
    for (unsigned i = 0; fields != NULL && i < descriptor->n_fields; i++) {
        free((void *) fields[i].name);
        free((void *) fields[i].default_value);
    }
    free(fields);
    free((void *) descriptor->fields_sorted_by_name);
    free((void *) descriptor->field_ranges);
    free((void *) descriptor->name);
    free(descriptor);
}

/// Builds a message descriptor: fields sorted by number, their index sorted by name, number ranges and
/// a struct layout. Message-typed fields get their descriptor later with cpbc_descriptor_link (messages
/// may refer to each other). Returns NULL if a spec is unusable or memory runs out.
static inline ProtobufCMessageDescriptor *cpbc_descriptor_new(
    const char *full_name, const cpbc_field_spec *specs, unsigned n_fields, unsigned n_oneofs
) {
    ProtobufCMessageDescriptor *descriptor = (ProtobufCMessageDescriptor *) calloc(1, sizeof *descriptor);
    if (descriptor == NULL) return NULL;
    descriptor->magic = PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC;
    descriptor->name = cpbc_strdup(full_name);
    const char *dot = strrchr(descriptor->name != NULL ? descriptor->name : "", '.');
    descriptor->short_name = dot != NULL ? dot + 1 : descriptor->name;
    descriptor->c_name = descriptor->name;
    descriptor->package_name = "";
    descriptor->n_fields = n_fields;
    ProtobufCFieldDescriptor *fields = (ProtobufCFieldDescriptor *) calloc(n_fields + 1, sizeof *fields);
    unsigned *by_name = (unsigned *) calloc(n_fields + 1, sizeof *by_name);
    ProtobufCIntRange *ranges = (ProtobufCIntRange *) calloc(n_fields + 1, sizeof *ranges);
    descriptor->fields = fields;
    descriptor->fields_sorted_by_name = by_name;
    descriptor->field_ranges = ranges;
    if (descriptor->name == NULL || fields == NULL || by_name == NULL || ranges == NULL) {
        cpbc_descriptor_free(descriptor);
        return NULL;
    }

    // Layout: the header, one case slot and one 16-byte value slot per oneof, then each other field.
    size_t offset = sizeof(ProtobufCMessage);
    size_t oneof_base = offset;
    offset += (size_t) n_oneofs * 24;
    for (unsigned i = 0; i < n_fields; i++) {
        const cpbc_field_spec *spec = &specs[i];
        ProtobufCFieldDescriptor *field = &fields[i];
        field->name = cpbc_strdup(spec->name);
        field->id = spec->number;
        field->label = (ProtobufCLabel) spec->label;
        field->type = (ProtobufCType) spec->type;
        field->default_value = cpbc_default_value(spec);
        if (field->name == NULL || spec->number == 0 || spec->number > 536870911u ||
            (spec->oneof_index >= (int) n_oneofs)) {
            cpbc_descriptor_free(descriptor);
            return NULL;
        }
        if (spec->packed) field->flags |= PROTOBUF_C_FIELD_FLAG_PACKED;
        if (spec->oneof_index >= 0) {
            field->flags |= PROTOBUF_C_FIELD_FLAG_ONEOF;
            field->quantifier_offset = (unsigned) (oneof_base + (size_t) spec->oneof_index * 24);
            field->offset = field->quantifier_offset + 8;
            continue;
        }
        if (spec->label == PROTOBUF_C_LABEL_REPEATED || spec->label == PROTOBUF_C_LABEL_OPTIONAL) {
            field->quantifier_offset = (unsigned) offset;
            offset += 8;
        }
        field->offset = (unsigned) offset;
        offset += spec->label == PROTOBUF_C_LABEL_REPEATED ? 8 : cpbc_value_size(spec->type);
    }
    descriptor->sizeof_message = offset;

    qsort(fields, n_fields, sizeof *fields, cpbc_compare_numbers);
    // Insertion sort of the name index (no globals: Swift imports only the inline functions).
    for (unsigned i = 0; i < n_fields; i++) {
        unsigned j = i;
        while (j > 0 && strcmp(fields[by_name[j - 1]].name, fields[i].name) > 0) {
            by_name[j] = by_name[j - 1];
            j--;
        }
        by_name[j] = i;
    }

    // Runs of consecutive numbers; the sentinel after the last run holds n_fields.
    unsigned n_ranges = 0;
    for (unsigned i = 0; i < n_fields; i++) {
        if (i > 0 && fields[i].id == fields[i - 1].id) {
            cpbc_descriptor_free(descriptor);
            return NULL;
        }
        if (i == 0 || fields[i].id != fields[i - 1].id + 1) {
            ranges[n_ranges].start_value = (int) fields[i].id;
            ranges[n_ranges].orig_index = i;
            n_ranges++;
        }
    }
    ranges[n_ranges].start_value = 0;
    ranges[n_ranges].orig_index = n_fields;
    descriptor->n_field_ranges = n_ranges;
    return descriptor;
}

/// Gives the message-typed field `number` of `descriptor` its message descriptor. Returns 0 on success.
static inline int cpbc_descriptor_link(
    ProtobufCMessageDescriptor *descriptor, uint32_t number, const ProtobufCMessageDescriptor *message
) {
    const ProtobufCFieldDescriptor *field = protobuf_c_message_descriptor_get_field(descriptor, number);
    if (field == NULL || field->type != PROTOBUF_C_TYPE_MESSAGE) return -1;
    ((ProtobufCFieldDescriptor *) field)->descriptor = message;
    return 0;
}

// MARK: - Building and reading messages

/// Bytes of one element of a repeated field of `type` in protobuf-c's arrays.
static inline size_t cpbc_element_size(int type) {
    switch (type) {
    case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_DOUBLE:
        return 8;
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(void *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    default:
        return 4;
    }
}

/// A zeroed message of `descriptor` with defaults applied, allocated through `allocator` (so that
/// protobuf_c_message_free_unpacked with the same allocator releases it and everything it holds).
static inline ProtobufCMessage *cpbc_message_new(
    const ProtobufCMessageDescriptor *descriptor, ProtobufCAllocator *allocator
) {
    ProtobufCMessage *message = (ProtobufCMessage *) allocator->alloc(allocator->allocator_data, descriptor->sizeof_message);
    if (message == NULL) return NULL;
    // protobuf_c_message_init calls descriptor->message_init, which is NULL here; this is what
    // protobuf_c_message_unpack does for such descriptors (defaults of strings and messages are shared).
    memset(message, 0, descriptor->sizeof_message);
    message->descriptor = descriptor;
    for (unsigned i = 0; i < descriptor->n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &descriptor->fields[i];
        if (field->default_value == NULL || field->label == PROTOBUF_C_LABEL_REPEATED) continue;
        void *member = (char *) message + field->offset;
        switch (field->type) {
        case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_MESSAGE:
            *(const void **) member = field->default_value;
            break;
        case PROTOBUF_C_TYPE_BYTES:
            memcpy(member, field->default_value, sizeof(ProtobufCBinaryData));
            break;
        default:
            memcpy(member, field->default_value, cpbc_element_size(field->type));
            break;
        }
    }
    return message;
}

/// Where a field's value (or, for repeated fields, the pointer to its elements) lives in `message`.
static inline void *cpbc_member(ProtobufCMessage *message, const ProtobufCFieldDescriptor *field) {
    return (char *) message + field->offset;
}

/// Where a field's has flag (int), element count (size_t) or oneof case (uint32) lives; NULL if none.
static inline void *cpbc_quantifier(ProtobufCMessage *message, const ProtobufCFieldDescriptor *field) {
    return field->quantifier_offset == 0 ? NULL : (char *) message + field->quantifier_offset;
}

/// Packs `message` into a new buffer of exactly get_packed_size bytes, allocated with malloc
/// (the caller frees it). *length receives the size; NULL if the two sizes disagree.
static inline uint8_t *cpbc_pack(const ProtobufCMessage *message, size_t *length) {
    size_t size = protobuf_c_message_get_packed_size(message);
    uint8_t *buffer = (uint8_t *) malloc(size + 1);
    if (buffer == NULL) return NULL;
    size_t written = protobuf_c_message_pack(message, buffer);
    if (written != size) {
        free(buffer);
        return NULL;
    }
    *length = size;
    return buffer;
}

#endif
