/* Optional C speed-ups for scrubber's hottest loops: counting a document's words, the
 * stop-word sums of language detection, picking the words a document uses once, telling which
 * of the rules' required strings a document holds, and indexing lines by their first word.
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
#include <stdint.h>
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


/* --- Which of many strings occur in a text: one Aho-Corasick pass ---------------------------
 *
 * The `requires` gates of the rules ask, for every document, whether it holds any of their
 * strings (scrubber/kinds/regexes.py, LiteralGate): a hundred substring searches per document.
 * An automaton of all the strings answers for all of them in one pass over the text. */

#define ASCII_SIZE 128

typedef struct {
    Py_UCS4 c;
    int32_t child;
} Edge;

typedef struct {
    int32_t ascii[ASCII_SIZE]; /* after the build: the full transition for ASCII characters */
    Edge *edges; /* the trie's other children (non-ASCII), searched linearly: they are few */
    int32_t edge_count, edge_capacity;
    int32_t fail;
    int has_output;
} Node;

typedef struct {
    Node *nodes;
    int32_t count, capacity;
    uint64_t *outputs; /* `words` words of bits per node: the strings ending at that node */
    Py_ssize_t words;
} Automaton;

static void automaton_free(Automaton *a)
{
    if (a == NULL)
        return;
    for (int32_t i = 0; i < a->count; i++)
        PyMem_Free(a->nodes[i].edges);
    PyMem_Free(a->nodes);
    PyMem_Free(a->outputs);
    PyMem_Free(a);
}

static void automaton_capsule_free(PyObject *capsule)
{
    automaton_free(PyCapsule_GetPointer(capsule, "scrubber.literal_automaton"));
}

static int32_t automaton_new_node(Automaton *a)
{
    if (a->count == a->capacity) {
        int32_t capacity = a->capacity ? a->capacity * 2 : 64;
        Node *nodes = PyMem_Realloc(a->nodes, sizeof(Node) * (size_t)capacity);
        uint64_t *outputs = nodes ? PyMem_Realloc(a->outputs, sizeof(uint64_t) * (size_t)(capacity * a->words)) : NULL;
        if (nodes != NULL)
            a->nodes = nodes;
        if (outputs != NULL)
            a->outputs = outputs;
        if (nodes == NULL || outputs == NULL)
            return -1;
        a->capacity = capacity;
    }
    Node *node = &a->nodes[a->count];
    for (int c = 0; c < ASCII_SIZE; c++)
        node->ascii[c] = -1;
    node->edges = NULL;
    node->edge_count = node->edge_capacity = 0;
    node->fail = 0;
    node->has_output = 0;
    memset(&a->outputs[(size_t)a->count * (size_t)a->words], 0, sizeof(uint64_t) * (size_t)a->words);
    return a->count++;
}

static int32_t node_edge(const Node *node, Py_UCS4 c)
{
    for (int32_t i = 0; i < node->edge_count; i++)
        if (node->edges[i].c == c)
            return node->edges[i].child;
    return -1;
}

static int node_add_edge(Node *node, Py_UCS4 c, int32_t child)
{
    if (node->edge_count == node->edge_capacity) {
        int32_t capacity = node->edge_capacity ? node->edge_capacity * 2 : 2;
        Edge *edges = PyMem_Realloc(node->edges, sizeof(Edge) * (size_t)capacity);
        if (edges == NULL)
            return -1;
        node->edges = edges;
        node->edge_capacity = capacity;
    }
    node->edges[node->edge_count].c = c;
    node->edges[node->edge_count].child = child;
    node->edge_count++;
    return 0;
}

/* The state after reading c in state s (s's row is complete for ASCII). */
static int32_t automaton_step(const Automaton *a, int32_t s, Py_UCS4 c)
{
    if (c < ASCII_SIZE)
        return a->nodes[s].ascii[c];
    for (;;) {
        int32_t child = node_edge(&a->nodes[s], c);
        if (child >= 0)
            return child;
        if (s == 0)
            return 0;
        s = a->nodes[s].fail;
    }
}

static PyObject *literal_automaton(PyObject *module, PyObject *arg)
{
    PyObject *seq = PySequence_Fast(arg, "literals must be a sequence of strings");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Automaton *a = PyMem_Calloc(1, sizeof(Automaton));
    int32_t *queue = NULL;
    if (a == NULL)
        goto nomemory;
    a->words = n / 64 + 1;
    if (automaton_new_node(a) < 0)
        goto nomemory;
    for (Py_ssize_t i = 0; i < n; i++) { /* the trie */
        PyObject *literal = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyUnicode_Check(literal)) {
            PyErr_SetString(PyExc_TypeError, "literals must be strings");
            goto fail;
        }
        int kind = PyUnicode_KIND(literal);
        const void *data = PyUnicode_DATA(literal);
        int32_t s = 0;
        for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(literal); j++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, j);
            int32_t next = c < ASCII_SIZE ? a->nodes[s].ascii[c] : node_edge(&a->nodes[s], c);
            if (next < 0) {
                if ((next = automaton_new_node(a)) < 0)
                    goto nomemory;
                if (c < ASCII_SIZE)
                    a->nodes[s].ascii[c] = next;
                else if (node_add_edge(&a->nodes[s], c, next) < 0)
                    goto nomemory;
            }
            s = next;
        }
        a->outputs[(size_t)s * (size_t)a->words + (size_t)(i / 64)] |= (uint64_t)1 << (i % 64);
        a->nodes[s].has_output = 1;
    }
    /* Failure links, breadth first: a node's are set before its children's. */
    queue = PyMem_Malloc(sizeof(int32_t) * (size_t)a->count);
    if (queue == NULL)
        goto nomemory;
    int32_t head = 0, tail = 0;
    queue[tail++] = 0;
    while (head < tail) {
        int32_t u = queue[head++];
        Node *node = &a->nodes[u];
        int32_t fail = node->fail;
        if (u != 0) {
            for (Py_ssize_t w = 0; w < a->words; w++) {
                a->outputs[(size_t)u * (size_t)a->words + (size_t)w] |= a->outputs[(size_t)fail * (size_t)a->words + (size_t)w];
            }
            node->has_output |= a->nodes[fail].has_output;
        }
        for (int c = 0; c < ASCII_SIZE; c++) {
            int32_t child = node->ascii[c];
            if (child >= 0) {
                a->nodes[child].fail = u == 0 ? 0 : a->nodes[fail].ascii[c];
                queue[tail++] = child;
            } else {
                node->ascii[c] = u == 0 ? 0 : a->nodes[fail].ascii[c];
            }
        }
        for (int32_t e = 0; e < node->edge_count; e++) {
            int32_t child = node->edges[e].child;
            a->nodes[child].fail = u == 0 ? 0 : automaton_step(a, fail, node->edges[e].c);
            queue[tail++] = child;
        }
    }
    PyMem_Free(queue);
    Py_DECREF(seq);
    PyObject *capsule = PyCapsule_New(a, "scrubber.literal_automaton", automaton_capsule_free);
    if (capsule == NULL)
        automaton_free(a);
    return capsule;
nomemory:
    PyErr_NoMemory();
fail:
    PyMem_Free(queue);
    automaton_free(a);
    Py_DECREF(seq);
    return NULL;
}

static PyObject *literals_found(PyObject *module, PyObject *args)
{
    PyObject *capsule, *text;
    if (!PyArg_ParseTuple(args, "OU:literals_found", &capsule, &text))
        return NULL;
    Automaton *a = PyCapsule_GetPointer(capsule, "scrubber.literal_automaton");
    if (a == NULL)
        return NULL;
    uint64_t small[4];
    uint64_t *found = a->words <= 4 ? small : PyMem_Malloc(sizeof(uint64_t) * (size_t)a->words);
    if (found == NULL)
        return PyErr_NoMemory();
    memcpy(found, a->outputs, sizeof(uint64_t) * (size_t)a->words); /* the empty string's */
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const Node *nodes = a->nodes;
    int32_t s = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = kind == PyUnicode_1BYTE_KIND ? ((const Py_UCS1 *)data)[i] : PyUnicode_READ(kind, data, i);
        s = c < ASCII_SIZE ? nodes[s].ascii[c] : automaton_step(a, s, c);
        if (nodes[s].has_output)
            for (Py_ssize_t w = 0; w < a->words; w++)
                found[w] |= a->outputs[(size_t)s * (size_t)a->words + (size_t)w];
    }
    PyObject *result = PyLong_FromUnsignedLongLong(found[a->words - 1]);
    for (Py_ssize_t w = a->words - 2; w >= 0 && result != NULL; w--) {
        PyObject *shift = PyLong_FromLong(64), *low = PyLong_FromUnsignedLongLong(found[w]);
        PyObject *shifted = shift && low ? PyNumber_Lshift(result, shift) : NULL;
        Py_SETREF(result, shifted ? PyNumber_Or(shifted, low) : NULL);
        Py_XDECREF(shift);
        Py_XDECREF(low);
        Py_XDECREF(shifted);
    }
    if (found != small)
        PyMem_Free(found);
    return result;
}


/* --- The first word of every line (scrubber/document.py, Document.line_heads) ----------------
 *
 * For each line: blanks and bullet marks are skipped, and the run of word characters after
 * them is the line's first word; the line's start is listed under the word's first one to four
 * characters, lower-cased. The character classes are the `regex` module's, given as tables for
 * the first 256 code points; a line whose head holds any other character, or whose key is not
 * plain ASCII, is returned to the caller, which reads it with the pattern itself. */

static int heads_add(PyObject *heads, const char *key, Py_ssize_t length, PyObject *start)
{
    PyObject *word = PyUnicode_FromStringAndSize(key, length);
    if (word == NULL)
        return -1;
    PyObject *starts = PyDict_GetItemWithError(heads, word); /* borrowed */
    int status;
    if (starts != NULL) {
        status = PyList_Append(starts, start);
    } else if (PyErr_Occurred()) {
        status = -1;
    } else {
        PyObject *list = PyList_New(1);
        if (list == NULL) {
            Py_DECREF(word);
            return -1;
        }
        Py_INCREF(start);
        PyList_SET_ITEM(list, 0, start);
        status = PyDict_SetItem(heads, word, list);
        Py_DECREF(list);
    }
    Py_DECREF(word);
    return status;
}

static PyObject *line_heads(PyObject *module, PyObject *args)
{
    PyObject *text, *heads;
    Py_buffer blank, word, bullets;
    if (!PyArg_ParseTuple(args, "UO!y*y*y*:line_heads", &text, &PyDict_Type, &heads, &blank, &word, &bullets))
        return NULL;
    PyObject *leftovers = NULL;
    if (blank.len != 256 || word.len != 256 || bullets.len % 4 != 0) {
        PyErr_SetString(PyExc_ValueError, "blank and word tables of 256 bytes; bullets as 4-byte code points");
        goto done;
    }
    const unsigned char *is_blank = blank.buf, *is_word = word.buf;
    const uint32_t *marks = bullets.buf;
    Py_ssize_t mark_count = bullets.len / 4;
    leftovers = PyList_New(0);
    if (leftovers == NULL)
        goto done;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), line = 0;
    while (line <= n) {
        Py_ssize_t i = line;
        int leftover = 0, listed = 1;
        for (;;) { /* blanks, then a bullet mark and its blanks, repeated */
            while (i < n) {
                Py_UCS4 c = PyUnicode_READ(kind, data, i);
                if (c >= 256 || !is_blank[c]) /* the table holds no line break */
                    break;
                i++;
            }
            if (i == n)
                break;
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            int mark = 0;
            for (Py_ssize_t m = 0; m < mark_count; m++)
                mark |= marks[m] == c;
            if (!mark)
                break;
            i++;
        }
        if (i == n || PyUnicode_READ(kind, data, i) == '\n')
            listed = 0; /* nothing but blanks and marks: not listed */
        char key[4];
        Py_ssize_t key_length = 0, j = i;
        if (listed) {
            while (j < n && key_length < 4) { /* the key is all that counts of the word */
                Py_UCS4 c = PyUnicode_READ(kind, data, j);
                if (c >= 256) {
                    leftover = 1; /* a blank, a letter or a symbol the tables cannot tell */
                    break;
                }
                if (!is_word[c])
                    break;
                if (c >= 128) {
                    leftover = 1; /* folding a non-ASCII letter is the caller's */
                    break;
                }
                key[key_length++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                j++;
            }
        }
        if (listed) {
            PyObject *start = PyLong_FromSsize_t(line);
            int status = start == NULL ? -1 : 0;
            if (status == 0 && leftover)
                status = PyList_Append(leftovers, start);
            else if (status == 0)
                for (Py_ssize_t cut = key_length ? 1 : 0; cut <= key_length && status == 0; cut++)
                    status = heads_add(heads, key, cut, start);
            Py_XDECREF(start);
            if (status < 0) {
                Py_CLEAR(leftovers);
                goto done;
            }
        }
        /* the next line */
        Py_ssize_t k = j; /* never before i */
        while (k < n && PyUnicode_READ(kind, data, k) != '\n')
            k++;
        line = k + 1;
    }
done:
    PyBuffer_Release(&blank);
    PyBuffer_Release(&word);
    PyBuffer_Release(&bullets);
    return leftovers;
}

static PyMethodDef speedups_methods[] = {
    {"set_word_separators", set_word_separators, METH_O,
     "set_word_separators(ranges)\n--\n\nThe characters that end a run: sorted, disjoint (low, high) code point pairs."},
    {"count_runs", count_runs, METH_VARARGS,
     "count_runs(text, counts)\n--\n\nAdd to the dict `counts` each maximal run of non-separators in `text`, "
     "in first-seen order: what `counts.update(re.findall('[^separators]+', text))` does."},
    {"stop_word_scores", stop_word_scores, METH_VARARGS,
     "stop_word_scores(counts, gains, size)\n--\n\n(hits, totals): see scrubber.lexicon._stop_word_scores."},
    {"literal_automaton", literal_automaton, METH_O,
     "literal_automaton(literals)\n--\n\nAn automaton finding which of the strings occur in a text (see literals_found)."},
    {"literals_found", literals_found, METH_VARARGS,
     "literals_found(automaton, text)\n--\n\nAn int whose bit i is set when literals[i] occurs in text."},
    {"line_heads", line_heads, METH_VARARGS,
     "line_heads(text, heads, blank, word, bullets)\n--\n\nSee scrubber.document.Document.line_heads."},
    {"used_once", used_once, METH_VARARGS,
     "used_once(counts, exclude, min_length, max_length)\n--\n\nSee scrubber.kinds.glued_words._used_once."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT, "scrubber._speedups", "Optional C speed-ups (see scrubber/document.py).", -1, speedups_methods,
};

int wordtable_add_types(PyObject *module); /* scrubber/_wordtable.c */

PyMODINIT_FUNC PyInit__speedups(void)
{
    PyObject *module = PyModule_Create(&speedups_module);
    if (module != NULL && wordtable_add_types(module) < 0)
        Py_CLEAR(module);
    return module;
}
