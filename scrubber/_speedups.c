/* Optional C speed-ups for scrubber's hottest loops: counting a document's words, the
 * stop-word sums of language detection, and picking the words a document uses once.
 *
 * scrubber is complete without this module (scrubber/document.py falls back to the standard
 * library's `re.findall` and `collections.Counter`, with the same result), and the build skips
 * it when no C compiler is found (hatch_build.py). Counting through a regex makes one string
 * object per token and hashes each; here the runs are hashed in place, counted in a private
 * table, and a string is made only once per distinct word: about three times faster.
 *
 * The separators (characters that end a run) are set once, by document.py, from the same
 * constant its regex is built from; tests/test_document.py checks both paths give the same
 * counts in the same first-seen order.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* Separator ranges, inclusive, sorted and disjoint: pairs (low, high). */
static Py_UCS4 *separator_ranges = NULL;
static Py_ssize_t separator_count = 0;
/* Whether each of the first 256 code points is a separator: the common characters' test. */
static unsigned char latin1_separator[256];

static int is_separator(Py_UCS4 c)
{
    if (c < 256)
        return latin1_separator[c];
    Py_ssize_t lo = 0, hi = separator_count;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (c < separator_ranges[2 * mid])
            hi = mid;
        else if (c > separator_ranges[2 * mid + 1])
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

static PyObject *set_word_separators(PyObject *module, PyObject *arg)
{
    PyObject *seq = PySequence_Fast(arg, "separators must be a sequence of (low, high) pairs");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Py_UCS4 *ranges = PyMem_Malloc(sizeof(Py_UCS4) * 2 * (size_t)(n > 0 ? n : 1));
    if (ranges == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned int low, high;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "II", &low, &high)) {
            PyMem_Free(ranges);
            Py_DECREF(seq);
            return NULL;
        }
        if (low > high || high > 0x10FFFF || (i > 0 && low <= ranges[2 * i - 1])) {
            PyErr_SetString(PyExc_ValueError, "separator ranges must be sorted, disjoint code point ranges");
            PyMem_Free(ranges);
            Py_DECREF(seq);
            return NULL;
        }
        ranges[2 * i] = low;
        ranges[2 * i + 1] = high;
    }
    Py_DECREF(seq);
    PyMem_Free(separator_ranges);
    separator_ranges = ranges;
    separator_count = n;
    memset(latin1_separator, 0, sizeof latin1_separator);
    for (Py_ssize_t i = 0; i < n && ranges[2 * i] < 256; i++)
        for (Py_UCS4 c = ranges[2 * i]; c <= ranges[2 * i + 1] && c < 256; c++)
            latin1_separator[c] = 1;
    Py_RETURN_NONE;
}

/* One distinct run: where it first occurs in the text, its hash and its count. */
typedef struct {
    Py_uhash_t hash;
    Py_ssize_t start, length, count;
} Run;

typedef struct {
    Py_ssize_t *slots; /* open addressing: index into runs, or -1 */
    Py_ssize_t capacity; /* a power of two, at least twice the runs */
    Run *runs; /* in first-seen order */
    Py_ssize_t used;
} RunTable;

static int table_init(RunTable *table)
{
    table->capacity = 256;
    table->used = 0;
    table->slots = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)table->capacity);
    table->runs = PyMem_Malloc(sizeof(Run) * (size_t)(table->capacity / 2));
    if (table->slots == NULL || table->runs == NULL)
        return -1;
    memset(table->slots, 0xff, sizeof(Py_ssize_t) * (size_t)table->capacity);
    return 0;
}

static void table_free(RunTable *table)
{
    PyMem_Free(table->slots);
    PyMem_Free(table->runs);
}

static int table_grow(RunTable *table)
{
    Py_ssize_t capacity = table->capacity * 2, mask = capacity - 1;
    Py_ssize_t *slots = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)capacity);
    Run *runs = PyMem_Realloc(table->runs, sizeof(Run) * (size_t)(capacity / 2));
    if (runs != NULL)
        table->runs = runs;
    if (slots == NULL || runs == NULL) {
        PyMem_Free(slots);
        return -1;
    }
    memset(slots, 0xff, sizeof(Py_ssize_t) * (size_t)capacity);
    for (Py_ssize_t i = 0; i < table->used; i++) {
        Py_ssize_t slot = (Py_ssize_t)(runs[i].hash & (Py_uhash_t)mask);
        while (slots[slot] >= 0)
            slot = (slot + 1) & mask;
        slots[slot] = i;
    }
    PyMem_Free(table->slots);
    table->slots = slots;
    table->capacity = capacity;
    return 0;
}

/* Count the run text[start:start+length] (hash given); -1 when out of memory. */
static int table_add(RunTable *table, const char *data, int kind, Py_ssize_t start, Py_ssize_t length, Py_uhash_t hash)
{
    Py_ssize_t mask = table->capacity - 1, slot = (Py_ssize_t)(hash & (Py_uhash_t)mask);
    for (;;) {
        Py_ssize_t index = table->slots[slot];
        if (index < 0)
            break;
        Run *run = &table->runs[index];
        if (run->hash == hash && run->length == length
            && memcmp(data + run->start * kind, data + start * kind, (size_t)(length * kind)) == 0) {
            run->count++;
            return 0;
        }
        slot = (slot + 1) & mask;
    }
    if (2 * (table->used + 1) > table->capacity) {
        if (table_grow(table) < 0)
            return -1;
        mask = table->capacity - 1;
        slot = (Py_ssize_t)(hash & (Py_uhash_t)mask);
        while (table->slots[slot] >= 0)
            slot = (slot + 1) & mask;
    }
    Run *run = &table->runs[table->used];
    run->hash = hash;
    run->start = start;
    run->length = length;
    run->count = 1;
    table->slots[slot] = table->used++;
    return 0;
}

#define FNV_OFFSET ((Py_uhash_t)14695981039346656037ULL)
#define FNV_PRIME ((Py_uhash_t)1099511628211ULL)

static PyObject *count_runs(PyObject *module, PyObject *args)
{
    PyObject *text, *counts;
    if (!PyArg_ParseTuple(args, "UO!:count_runs", &text, &PyDict_Type, &counts))
        return NULL;
    if (separator_ranges == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "set_word_separators() has not been called");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const char *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0;
    RunTable table;
    if (table_init(&table) < 0) {
        table_free(&table);
        return PyErr_NoMemory();
    }
    while (i < n) {
        Py_ssize_t start;
        Py_uhash_t hash = FNV_OFFSET;
        if (kind == PyUnicode_1BYTE_KIND) {
            const Py_UCS1 *s = (const Py_UCS1 *)data;
            while (i < n && latin1_separator[s[i]])
                i++;
            start = i;
            while (i < n && !latin1_separator[s[i]])
                hash = (hash ^ s[i++]) * FNV_PRIME;
        } else {
            while (i < n && is_separator(PyUnicode_READ(kind, data, i)))
                i++;
            start = i;
            Py_UCS4 c;
            while (i < n && !is_separator(c = PyUnicode_READ(kind, data, i))) {
                hash = (hash ^ c) * FNV_PRIME;
                i++;
            }
        }
        if (i > start && table_add(&table, data, kind, start, i - start, hash) < 0) {
            table_free(&table);
            return PyErr_NoMemory();
        }
    }
    int status = 0;
    for (Py_ssize_t r = 0; r < table.used && status == 0; r++) {
        Run *run = &table.runs[r];
        PyObject *word = PyUnicode_Substring(text, run->start, run->start + run->length);
        PyObject *count = NULL;
        if (word != NULL) {
            PyObject *before = PyDict_GetItemWithError(counts, word); /* borrowed */
            if (before != NULL) {
                PyObject *added = PyLong_FromSsize_t(run->count);
                count = added ? PyNumber_Add(before, added) : NULL;
                Py_XDECREF(added);
            } else if (!PyErr_Occurred()) {
                count = PyLong_FromSsize_t(run->count);
            }
        }
        status = count != NULL ? PyDict_SetItem(counts, word, count) : -1;
        Py_XDECREF(word);
        Py_XDECREF(count);
    }
    table_free(&table);
    if (status < 0)
        return NULL;
    Py_RETURN_NONE;
}


/* The stop-word sums of language detection (scrubber/lexicon.py, `_stop_word_scores`): for
 * each word of `counts` (in its order) that `gains` lists, its count is added to the hits and
 * count * gain to the language's total, for each (language index, gain) pair listed. */
static PyObject *stop_word_scores(PyObject *module, PyObject *args)
{
    PyObject *counts, *gains;
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "O!O!n:stop_word_scores", &PyDict_Type, &counts, &PyDict_Type, &gains, &size))
        return NULL;
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "size must not be negative");
        return NULL;
    }
    double *totals = PyMem_Calloc((size_t)(size > 0 ? size : 1), sizeof(double));
    if (totals == NULL)
        return PyErr_NoMemory();
    Py_ssize_t position = 0, hits = 0;
    PyObject *word, *count, *result = NULL;
    while (PyDict_Next(counts, &position, &word, &count)) {
        PyObject *listing = PyDict_GetItemWithError(gains, word); /* borrowed */
        if (listing == NULL) {
            if (PyErr_Occurred())
                goto done;
            continue;
        }
        Py_ssize_t n = PyLong_AsSsize_t(count);
        if (n == -1 && PyErr_Occurred())
            goto done;
        if (!PyTuple_Check(listing)) {
            PyErr_SetString(PyExc_TypeError, "gains must map words to tuples of (index, gain)");
            goto done;
        }
        hits += n;
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(listing); j++) {
            PyObject *pair = PyTuple_GET_ITEM(listing, j);
            if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
                PyErr_SetString(PyExc_TypeError, "gains must map words to tuples of (index, gain)");
                goto done;
            }
            Py_ssize_t index = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
            double gain = PyFloat_AsDouble(PyTuple_GET_ITEM(pair, 1));
            if (PyErr_Occurred())
                goto done;
            if (index < 0 || index >= size) {
                PyErr_SetString(PyExc_IndexError, "language index out of range");
                goto done;
            }
            totals[index] += (double)n * gain;
        }
    }
    PyObject *listed = PyList_New(size);
    if (listed == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < size; i++) {
        PyObject *value = PyFloat_FromDouble(totals[i]);
        if (value == NULL) {
            Py_DECREF(listed);
            goto done;
        }
        PyList_SET_ITEM(listed, i, value);
    }
    result = Py_BuildValue("(nN)", hits, listed);
done:
    PyMem_Free(totals);
    return result;
}


/* The words a document uses once (scrubber/kinds/glued_words.py, `_used_once`): the keys of
 * `counts` whose count is 1 and whose length is within [min_length, max_length], and that
 * `exclude` (a set) does not hold, in the order of `counts`. */
static PyObject *used_once(PyObject *module, PyObject *args)
{
    PyObject *counts, *exclude;
    Py_ssize_t min_length, max_length;
    if (!PyArg_ParseTuple(args, "O!Onn:used_once", &PyDict_Type, &counts, &exclude, &min_length, &max_length))
        return NULL;
    if (!PyAnySet_Check(exclude)) {
        PyErr_SetString(PyExc_TypeError, "exclude must be a set or a frozenset");
        return NULL;
    }
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    Py_ssize_t position = 0;
    PyObject *word, *count;
    while (PyDict_Next(counts, &position, &word, &count)) {
        if (!PyUnicode_Check(word) || !PyLong_Check(count))
            continue;
        int overflow;
        if (PyLong_AsLongAndOverflow(count, &overflow) != 1 || overflow)
            continue;
        Py_ssize_t length = PyUnicode_GET_LENGTH(word);
        if (length < min_length || length > max_length)
            continue;
        int excluded = PySet_Contains(exclude, word);
        if (excluded < 0 || (!excluded && PyList_Append(found, word) < 0)) {
            Py_DECREF(found);
            return NULL;
        }
    }
    return found;
}

static PyMethodDef speedups_methods[] = {
    {"set_word_separators", set_word_separators, METH_O,
     "set_word_separators(ranges)\n--\n\nThe characters that end a run: sorted, disjoint (low, high) code point pairs."},
    {"count_runs", count_runs, METH_VARARGS,
     "count_runs(text, counts)\n--\n\nAdd to the dict `counts` each maximal run of non-separators in `text`, "
     "in first-seen order: what `counts.update(re.findall('[^separators]+', text))` does."},
    {"stop_word_scores", stop_word_scores, METH_VARARGS,
     "stop_word_scores(counts, gains, size)\n--\n\n(hits, totals): see scrubber.lexicon._stop_word_scores."},
    {"used_once", used_once, METH_VARARGS,
     "used_once(counts, exclude, min_length, max_length)\n--\n\nSee scrubber.kinds.glued_words._used_once."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT, "scrubber._speedups", "Optional C speed-ups (see scrubber/document.py).", -1, speedups_methods,
};

PyMODINIT_FUNC PyInit__speedups(void)
{
    return PyModule_Create(&speedups_module);
}
