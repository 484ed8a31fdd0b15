/* A read-only word -> Zipf table over one flat image, for scrubber/word_images.py.
 *
 * wordfreq's large lists hold 270,000 to 630,000 words per language. As a Python dict each costs
 * 0.15-0.4 s to build and 30-80 MB in every process that uses it, and a pool of workers builds its
 * own copy in each. Here the table is one image (a bytes object, or a file mapped read-only) that
 * the kernel shares between processes: opening it costs a check of its layout, a lookup hashes the
 * word's UTF-8 bytes and probes an open-addressing index stored in the image.
 *
 * Image layout (native byte order; the image is a cache of the machine that built it):
 *
 *   header   8 x uint64: magic, count, slot count (a power of two), bucket count, blob size, 0, 0, 0
 *   offsets  uint32[count + 1]: where each word's UTF-8 bytes start in the blob (ascending)
 *   buckets  uint16[count]: each word's frequency bucket, an index into the table's values
 *   (padding to 4 bytes)
 *   slots    uint32[slot count]: 0 for an empty slot, else the word's index + 1
 *   blob     the words' UTF-8 bytes, in the lists' order (most frequent first)
 *
 * Words keep the order of the lists, so iteration runs from the most frequent word down, as the
 * dict built by scrubber/lexicon.py does; a word listed twice keeps its first place and its last
 * bucket, as dict.update would.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define IMAGE_MAGIC 0x3130545752435353ULL /* "SSCRWT01" */
#define HEADER_WORDS 8

typedef struct {
    PyObject_HEAD
    Py_buffer view;
    PyObject *values; /* tuple: the value of each bucket */
    uint64_t count;
    uint64_t slot_mask;
    const uint32_t *offsets;
    const uint16_t *buckets;
    const uint32_t *slots;
    const char *blob;
} WordTable;

typedef struct {
    PyObject_HEAD
    WordTable *table;
    uint64_t next;
    int mode; /* 0 keys, 1 values, 2 items */
} WordTableIter;

static PyTypeObject WordTableType;
static PyTypeObject WordTableIterType;

static uint64_t hash_bytes(const char *data, Py_ssize_t length)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (Py_ssize_t i = 0; i < length; i++) {
        h ^= (unsigned char)data[i];
        h *= 0x100000001b3ULL;
    }
    return h ^ (h >> 29);
}

static size_t align4(size_t n) { return (n + 3) & ~(size_t)3; }

static size_t slots_offset(uint64_t count)
{
    return align4(HEADER_WORDS * 8 + 4 * (count + 1) + 2 * count);
}

/* ---- lookup ------------------------------------------------------------------------------- */

/* The word's index + 1, 0 when absent, -1 with an exception set. */
static int64_t table_find(WordTable *self, PyObject *key)
{
    if (!PyUnicode_Check(key))
        return 0;
    Py_ssize_t length;
    const char *data = PyUnicode_AsUTF8AndSize(key, &length);
    if (data == NULL) {
        PyErr_Clear(); /* a lone surrogate: no listed word has one */
        return 0;
    }
    uint64_t slot = hash_bytes(data, length) & self->slot_mask;
    for (;;) {
        uint32_t entry = self->slots[slot];
        if (entry == 0)
            return 0;
        uint32_t start = self->offsets[entry - 1], end = self->offsets[entry];
        if ((Py_ssize_t)(end - start) == length && memcmp(self->blob + start, data, (size_t)length) == 0)
            return entry;
        slot = (slot + 1) & self->slot_mask;
    }
}

static PyObject *table_value(WordTable *self, uint64_t index)
{
    PyObject *value = PyTuple_GET_ITEM(self->values, self->buckets[index]);
    Py_INCREF(value);
    return value;
}

static PyObject *table_word(WordTable *self, uint64_t index)
{
    uint32_t start = self->offsets[index], end = self->offsets[index + 1];
    return PyUnicode_DecodeUTF8(self->blob + start, (Py_ssize_t)(end - start), "strict");
}

static PyObject *table_get(WordTable *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "get(key, default=None)");
        return NULL;
    }
    int64_t found = table_find(self, args[0]);
    if (found < 0)
        return NULL;
    if (found)
        return table_value(self, (uint64_t)found - 1);
    PyObject *fallback = nargs == 2 ? args[1] : Py_None;
    Py_INCREF(fallback);
    return fallback;
}

static PyObject *table_subscript(WordTable *self, PyObject *key)
{
    int64_t found = table_find(self, key);
    if (found < 0)
        return NULL;
    if (!found) {
        PyErr_SetObject(PyExc_KeyError, key);
        return NULL;
    }
    return table_value(self, (uint64_t)found - 1);
}

static int table_contains(WordTable *self, PyObject *key)
{
    int64_t found = table_find(self, key);
    return found < 0 ? -1 : found > 0;
}

static Py_ssize_t table_length(WordTable *self) { return (Py_ssize_t)self->count; }

/* ---- opening an image -------------------------------------------------------------------- */

static int check_image(WordTable *self)
{
    const char *base = self->view.buf;
    size_t size = (size_t)self->view.len;
    uint64_t header[HEADER_WORDS];
    if (size < sizeof header) {
        PyErr_SetString(PyExc_ValueError, "word table image: truncated header");
        return -1;
    }
    memcpy(header, base, sizeof header);
    uint64_t count = header[1], slots = header[2], nbuckets = header[3], blob = header[4];
    if (header[0] != IMAGE_MAGIC) {
        PyErr_SetString(PyExc_ValueError, "word table image: not an image of this format");
        return -1;
    }
    if (count >= UINT32_MAX || slots < 2 || (slots & (slots - 1)) != 0 || slots <= count || slots > (1ULL << 32)
        || blob >= UINT32_MAX || nbuckets > (uint64_t)PyTuple_GET_SIZE(self->values)) {
        PyErr_SetString(PyExc_ValueError, "word table image: inconsistent header (or too few values)");
        return -1;
    }
    size_t at = slots_offset(count);
    if (size != at + 4 * slots + blob) {
        PyErr_SetString(PyExc_ValueError, "word table image: size does not match its header");
        return -1;
    }
    self->count = count;
    self->slot_mask = slots - 1;
    self->offsets = (const uint32_t *)(base + HEADER_WORDS * 8);
    self->buckets = (const uint16_t *)(base + HEADER_WORDS * 8 + 4 * (count + 1));
    self->slots = (const uint32_t *)(base + at);
    self->blob = base + at + 4 * slots;
    /* Every index the lookups follow stays inside the image, whatever the file held. */
    if (self->offsets[0] != 0 || self->offsets[count] != blob) {
        PyErr_SetString(PyExc_ValueError, "word table image: bad word offsets");
        return -1;
    }
    for (uint64_t i = 0; i < count; i++) {
        if (self->offsets[i] > self->offsets[i + 1] || self->buckets[i] >= nbuckets) {
            PyErr_SetString(PyExc_ValueError, "word table image: bad word offsets or buckets");
            return -1;
        }
    }
    uint64_t empty = 0;
    for (uint64_t s = 0; s < slots; s++) {
        if (self->slots[s] > count) {
            PyErr_SetString(PyExc_ValueError, "word table image: bad index slot");
            return -1;
        }
        empty += self->slots[s] == 0;
    }
    if (empty == 0) { /* a probe must always end */
        PyErr_SetString(PyExc_ValueError, "word table image: index has no empty slot");
        return -1;
    }
    return 0;
}

static PyObject *table_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"image", "values", NULL};
    PyObject *image, *values;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO!:WordTable", keywords, &image, &PyTuple_Type, &values))
        return NULL;
    WordTable *self = (WordTable *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    if (PyObject_GetBuffer(image, &self->view, PyBUF_SIMPLE) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    Py_INCREF(values);
    self->values = values;
    if ((uintptr_t)self->view.buf % 8 != 0) {
        PyErr_SetString(PyExc_ValueError, "word table image: buffer not aligned");
        Py_DECREF(self);
        return NULL;
    }
    if (check_image(self) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void table_dealloc(WordTable *self)
{
    if (self->view.obj != NULL)
        PyBuffer_Release(&self->view);
    Py_XDECREF(self->values);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* ---- iteration ---------------------------------------------------------------------------- */

static PyObject *iter_make(WordTable *table, int mode)
{
    WordTableIter *it = PyObject_New(WordTableIter, &WordTableIterType);
    if (it == NULL)
        return NULL;
    Py_INCREF(table);
    it->table = table;
    it->next = 0;
    it->mode = mode;
    return (PyObject *)it;
}

static PyObject *table_iter(WordTable *self) { return iter_make(self, 0); }
static PyObject *table_keys(WordTable *self, PyObject *unused) { return iter_make(self, 0); }
static PyObject *table_values(WordTable *self, PyObject *unused) { return iter_make(self, 1); }
static PyObject *table_items(WordTable *self, PyObject *unused) { return iter_make(self, 2); }

static PyObject *iter_next(WordTableIter *it)
{
    WordTable *table = it->table;
    if (it->next >= table->count)
        return NULL;
    uint64_t index = it->next++;
    if (it->mode == 1)
        return table_value(table, index);
    PyObject *word = table_word(table, index);
    if (word == NULL || it->mode == 0)
        return word;
    PyObject *value = table_value(table, index);
    PyObject *pair = PyTuple_Pack(2, word, value);
    Py_DECREF(word);
    Py_DECREF(value);
    return pair;
}

static void iter_dealloc(WordTableIter *it)
{
    Py_DECREF(it->table);
    PyObject_Free(it);
}

/* ---- building an image -------------------------------------------------------------------- */

static PyObject *build_word_table(PyObject *module, PyObject *arg)
{
    PyObject *lists = PySequence_Fast(arg, "buckets must be a sequence of lists of words");
    if (lists == NULL)
        return NULL;
    Py_ssize_t nbuckets = PySequence_Fast_GET_SIZE(lists);
    PyObject *result = NULL;
    uint32_t *starts = NULL, *lengths = NULL, *table = NULL;
    uint16_t *buckets = NULL;
    const char **words = NULL;
    if (nbuckets > 65535) {
        PyErr_SetString(PyExc_ValueError, "at most 65535 buckets");
        goto done;
    }
    uint64_t total = 0;
    for (Py_ssize_t b = 0; b < nbuckets; b++) {
        PyObject *bucket = PySequence_Fast_GET_ITEM(lists, b);
        if (!PyList_Check(bucket)) {
            PyErr_SetString(PyExc_TypeError, "each bucket must be a list of words");
            goto done;
        }
        total += (uint64_t)PyList_GET_SIZE(bucket);
    }
    uint64_t nslots = 2;
    while (nslots < 2 * total + 1)
        nslots <<= 1;
    if (total >= UINT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "too many words");
        goto done;
    }
    starts = PyMem_Calloc((size_t)total + 1, sizeof *starts);
    lengths = PyMem_Calloc((size_t)total + 1, sizeof *lengths);
    buckets = PyMem_Calloc((size_t)total + 1, sizeof *buckets);
    words = PyMem_Calloc((size_t)total + 1, sizeof *words);
    table = PyMem_Calloc((size_t)nslots, sizeof *table);
    if (!starts || !lengths || !buckets || !words || !table) {
        PyErr_NoMemory();
        goto done;
    }
    uint64_t count = 0, blob = 0;
    for (Py_ssize_t b = 0; b < nbuckets; b++) {
        PyObject *bucket = PySequence_Fast_GET_ITEM(lists, b);
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(bucket); i++) {
            PyObject *word = PyList_GET_ITEM(bucket, i);
            if (!PyUnicode_Check(word)) {
                PyErr_SetString(PyExc_TypeError, "words must be str");
                goto done;
            }
            Py_ssize_t length;
            const char *data = PyUnicode_AsUTF8AndSize(word, &length);
            if (data == NULL)
                goto done;
            uint64_t slot = hash_bytes(data, length) & (nslots - 1);
            for (;;) {
                uint32_t entry = table[slot];
                if (entry == 0)
                    break;
                if ((Py_ssize_t)lengths[entry - 1] == length && memcmp(words[entry - 1], data, (size_t)length) == 0)
                    break;
                slot = (slot + 1) & (nslots - 1);
            }
            if (table[slot]) { /* listed twice: dict.update keeps the place, takes the value */
                buckets[table[slot] - 1] = (uint16_t)b;
                continue;
            }
            if (blob + (uint64_t)length >= UINT32_MAX) {
                PyErr_SetString(PyExc_ValueError, "words too long in total");
                goto done;
            }
            words[count] = data; /* the list holds the word, and the word its UTF-8 */
            lengths[count] = (uint32_t)length;
            starts[count] = (uint32_t)blob;
            buckets[count] = (uint16_t)b;
            table[slot] = (uint32_t)(count + 1);
            blob += (uint64_t)length;
            count++;
        }
    }
    /* The stored index is sized for the words kept, so an image's size follows from its count. */
    uint64_t slots = 2;
    while (slots < 2 * count + 1)
        slots <<= 1;
    size_t at = slots_offset(count);
    size_t size = at + 4 * (size_t)slots + (size_t)blob;
    result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
    if (result == NULL)
        goto done;
    char *out = PyBytes_AS_STRING(result);
    memset(out, 0, size);
    uint64_t header[HEADER_WORDS] = {IMAGE_MAGIC, count, slots, (uint64_t)nbuckets, blob, 0, 0, 0};
    memcpy(out, header, sizeof header);
    uint32_t *offsets = (uint32_t *)(out + HEADER_WORDS * 8);
    uint16_t *out_buckets = (uint16_t *)(out + HEADER_WORDS * 8 + 4 * (count + 1));
    uint32_t *out_slots = (uint32_t *)(out + at);
    char *out_blob = out + at + 4 * slots;
    for (uint64_t i = 0; i < count; i++) {
        offsets[i] = starts[i];
        out_buckets[i] = buckets[i];
        memcpy(out_blob + starts[i], words[i], lengths[i]);
        uint64_t slot = hash_bytes(words[i], lengths[i]) & (slots - 1);
        while (out_slots[slot])
            slot = (slot + 1) & (slots - 1);
        out_slots[slot] = (uint32_t)(i + 1);
    }
    offsets[count] = (uint32_t)blob;
done:
    PyMem_Free(starts);
    PyMem_Free(lengths);
    PyMem_Free(buckets);
    PyMem_Free(words);
    PyMem_Free(table);
    Py_DECREF(lists);
    return result;
}

/* ---- types -------------------------------------------------------------------------------- */

static PyMethodDef table_methods[] = {
    {"get", (PyCFunction)(void (*)(void))table_get, METH_FASTCALL, "get(word, default=None)"},
    {"keys", (PyCFunction)table_keys, METH_NOARGS, "An iterator over the words, most frequent first."},
    {"values", (PyCFunction)table_values, METH_NOARGS, "An iterator over the values, in the words' order."},
    {"items", (PyCFunction)table_items, METH_NOARGS, "An iterator over (word, value), in the words' order."},
    {NULL, NULL, 0, NULL},
};

static PyMappingMethods table_as_mapping = {
    (lenfunc)table_length,
    (binaryfunc)table_subscript,
    NULL,
};

static PySequenceMethods table_as_sequence = {
    .sq_contains = (objobjproc)table_contains,
};

static PyTypeObject WordTableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "scrubber._speedups.WordTable",
    .tp_basicsize = sizeof(WordTable),
    .tp_dealloc = (destructor)table_dealloc,
    .tp_as_sequence = &table_as_sequence,
    .tp_as_mapping = &table_as_mapping,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "WordTable(image, values)\n--\n\nA read-only mapping of words to values over an image "
              "made by build_word_table (see scrubber/word_images.py).",
    .tp_iter = (getiterfunc)table_iter,
    .tp_methods = table_methods,
    .tp_new = table_new,
};

static PyTypeObject WordTableIterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "scrubber._speedups.WordTableIterator",
    .tp_basicsize = sizeof(WordTableIter),
    .tp_dealloc = (destructor)iter_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)iter_next,
};

static PyMethodDef wordtable_build_method = {
    "build_word_table", build_word_table, METH_O,
    "build_word_table(buckets)\n--\n\nThe image of a WordTable: bucket i (a list of str) holds the words "
    "whose value is values[i]; words keep the buckets' order.",
};

int wordtable_add_types(PyObject *module)
{
    if (PyType_Ready(&WordTableType) < 0 || PyType_Ready(&WordTableIterType) < 0)
        return -1;
    Py_INCREF(&WordTableType);
    if (PyModule_AddObject(module, "WordTable", (PyObject *)&WordTableType) < 0) {
        Py_DECREF(&WordTableType);
        return -1;
    }
    PyObject *build = PyCFunction_NewEx(&wordtable_build_method, NULL, NULL);
    if (build == NULL)
        return -1;
    if (PyModule_AddObject(module, "build_word_table", build) < 0) {
        Py_DECREF(build);
        return -1;
    }
    return 0;
}
