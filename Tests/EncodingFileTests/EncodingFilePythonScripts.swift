/// The Python halves of the encoding-file tests, run with python3 and numpy (see EncodingFilePython).
enum EncodingFilePythonScripts {
    /// Imports, and a pickler that writes arrays as numpy 1.x did although numpy 2.x is installed. It reproduces
    /// the course's `encoding` byte for byte from its loaded data.
    private static let numpy1Pickler = #"""
import codecs, io, json, os, pickle, pickletools, sys, types, warnings
import numpy as np

stand_ins = {}

def numpy1_stand_in(function):
    """A function numpy 1.x would have pickled: same name, under numpy.core instead of numpy._core.
    One per function, so the pickler memoizes it as it memoized numpy 1.x's own."""
    module_name = function.__module__.replace('numpy._core', 'numpy.core')
    if (module_name, function.__name__) in stand_ins:
        return stand_ins[(module_name, function.__name__)]
    module = types.ModuleType(module_name)
    def stand_in(*args):
        raise AssertionError('never called')
    stand_in.__module__, stand_in.__name__, stand_in.__qualname__ = module_name, function.__name__, function.__name__
    setattr(module, function.__name__, stand_in)
    sys.modules[module_name] = module
    stand_ins[(module_name, function.__name__)] = stand_in
    return stand_in

class Numpy1Pickler(pickle.Pickler):
    """Pickles arrays as numpy 1.x did: numpy 2.x's own reduction, with its functions under numpy.core."""
    def __init__(self, file, protocol, **options):
        super().__init__(file, protocol=protocol, **options)
        self.protocol = protocol
    def reducer_override(self, value):
        if type(value) is not np.ndarray:
            return NotImplemented
        reduced = value.__reduce_ex__(self.protocol)
        return (numpy1_stand_in(reduced[0]),) + tuple(reduced[1:])

def dumps(obj, protocol, style='numpy2', **options):
    buffer = io.BytesIO()
    (Numpy1Pickler if style == 'numpy1' else pickle.Pickler)(buffer, protocol=protocol, **options).dump(obj)
    return buffer.getvalue()
"""#

    /// argv: output folder, marker path. Writes accepted pickles (protocols 2-5, numpy 1.x and 2.x spellings,
    /// float64 and float32) and rejected ones (a shell command among them), and `manifest.json` describing them.
    static let writeFixtures = numpy1Pickler + "\n\n" + #"""
out, marker = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(546)
names = ['vin_diesel', 'zoë_ünïcode', 'president_obama']
vectors = rng.normal(0.0, 0.1, (len(names), 128))

def faces(dtype='<f8', count=len(names)):
    return {'name': names[:count], 'encoding': [v.astype(dtype) for v in vectors[:count]]}

def ops(data):
    return [(op.name, arg, pos) for op, arg, pos in pickletools.genops(data)]

def first(data, name, arg=None):
    return next(pos for op, a, pos in ops(data) if op == name and (arg is None or a == arg))

def globals_in(data):
    """Module paths of the globals a pickle names (GLOBAL args, or the str pushed before STACK_GLOBAL)."""
    found, strings = set(), []
    for op, arg, pos in ops(data):
        if op == 'GLOBAL':
            found.add(arg.split(' ')[0])
        elif op in ('SHORT_BINUNICODE', 'BINUNICODE', 'BINUNICODE8'):
            strings.append(arg)
        elif op == 'STACK_GLOBAL':
            found.add(strings[-2])
    return found

manifest = {'names': names, 'float64': vectors.tolist(),
            'float32': [[float(x) for x in v.astype(np.float32)] for v in vectors], 'valid': [], 'rejected': []}

def save(name, data):
    with open(os.path.join(out, name), 'wb') as file:
        file.write(data)

# Accepted: every protocol 2-5, numpy 1.x and 2.x spellings, float64 and float32.
for protocol in (2, 3, 4, 5):
    for style in ('numpy1', 'numpy2'):
        for dtype in ('float64', 'float32'):
            name = f'p{protocol}-{style}-{dtype}.pickle'
            data = dumps(faces(dtype), protocol, style)
            spelled = {'numpy1': 'numpy.core', 'numpy2': 'numpy._core'}[style]
            assert any(g.startswith(spelled + '.') for g in globals_in(data)), (name, globals_in(data))
            save(name, data)
            manifest['valid'].append({'file': name, 'dtype': dtype})
readonly = faces()
for array in readonly['encoding']:
    array.flags.writeable = False
data = dumps(readonly, 5)
assert 'BINBYTES' in {op for op, a, p in ops(data)} and 'BYTEARRAY8' not in {op for op, a, p in ops(data)}
save('p5-readonly-bytes.pickle', data)
manifest['valid'].append({'file': 'p5-readonly-bytes.pickle', 'dtype': 'float64'})

# Rejected, each with what the error must say and, where pickletools can tell, the opcode's offset.
def reject(name, data, expect, opcode=None, offset=None):
    save(name, data)
    manifest['rejected'].append({'file': name, 'expect': expect, 'opcode': opcode, 'offset': offset})

class Shell:
    """What a hostile file holds: unpickling it runs a shell command."""
    def __init__(self, path):
        self.path = path
    def __reduce__(self):
        return (os.system, (f'touch {self.path}',))

for protocol, opcode in ((3, 'GLOBAL (0x63)'), (4, 'STACK_GLOBAL (0x93)')):
    hostile = {'name': ['mallory'], 'encoding': [Shell(marker)]}
    data = dumps(hostile, protocol)
    # Prove the file is really hostile: Python's own pickle runs it.
    proof = marker + '-python'
    pickle.loads(dumps({'name': ['mallory'], 'encoding': [Shell(proof)]}, protocol))
    assert os.path.exists(proof), 'the hostile pickle did not run under python'
    os.remove(proof)
    module = os.system.__module__
    position = first(data, 'GLOBAL', f'{module} system') if protocol == 3 else first(data, 'STACK_GLOBAL')
    reject(f'os-system-p{protocol}.pickle', data, [f'global {module}.system is not allowed'], opcode, position)

stop = lambda data: len(data) - 1
data = dumps(faces('>f8'), 3)
reject('big-endian.pickle', data, ['big-endian'], 'BUILD (0x62)', first(data, 'BUILD'))
for dtype, code in (('<i8', 'i8'), ('<f2', 'f2'), ('<c16', 'c16'), ('O', 'O8'), ([('a', '<f8')], 'V8')):
    data = dumps({'name': ['a'], 'encoding': [np.zeros(128, dtype=dtype)]}, 3)
    reject(f'dtype-{code}.pickle', data, [f"dtype '{code}' is not accepted"], 'REDUCE (0x52)')
data = dumps({'name': ['a'], 'encoding': [vectors[0][:127]]}, 3)
reject('shape-127.pickle', data, ['array shape (127,) is not (128,)'], 'BUILD (0x62)')
fortran = np.asfortranarray(vectors[0].reshape(2, 64))
reject('shape-2x64-fortran-p3.pickle', dumps({'name': ['a'], 'encoding': [fortran]}, 3),
       ['array shape (2, 64) in Fortran order is not (128,)'], 'BUILD (0x62)')
reject('shape-2x64-fortran-p5.pickle', dumps({'name': ['a'], 'encoding': [fortran]}, 5),
       ['array shape (2, 64) in Fortran order is not (128,)'], 'REDUCE (0x52)')
data = dumps({'name': names[:2], 'encoding': [vectors[0]]}, 3)
reject('unequal-counts.pickle', data, ['2 names but 1 encodings'], 'STOP (0x2e)', stop(data))
data = dumps(dict(faces(), extra=[]), 3)
reject('extra-key.pickle', data, ["keys 'name', 'encoding', 'extra'"], 'STOP (0x2e)', stop(data))
data = dumps({'name': [], 'encoding': []}, 3)
reject('empty.pickle', data, ['no names and no encodings'], 'STOP (0x2e)', stop(data))
data = dumps({'name': [b'bytes'], 'encoding': [vectors[0]]}, 3)
reject('name-not-str.pickle', data, ['name 0 is a bytes, expected str'], 'STOP (0x2e)', stop(data))
data = dumps({'name': ['a'], 'encoding': ['not an array']}, 3)
reject('encoding-a-str.pickle', data, ['encoding 0 is a str, expected a numpy array'], 'STOP (0x2e)', stop(data))
data = dumps({'name': ['a'], 'encoding': [[]]}, 3)
reject('encoding-a-list.pickle', data, ['a list inside a list is deeper than an encoding file nests'], 'APPEND (0x61)',
       [pos for op, arg, pos in ops(data) if op == 'APPEND'][-1])
data = dumps({'name': ['a'], 'encoding': [vectors[0].tolist()]}, 3)
reject('python-floats.pickle', data, ['opcode not accepted'], 'BINFLOAT (0x47)', first(data, 'BINFLOAT'))
data = dumps({'name': ['a'], 'encoding': [list(vectors[0])]}, 3)
reject('numpy-scalars.pickle', data, ['global numpy._core.multiarray.scalar is not allowed'], 'GLOBAL (0x63)',
       first(data, 'GLOBAL', 'numpy._core.multiarray scalar'))
data = dumps(names, 3)
reject('top-level-list.pickle', data, ['the pickled object is a list'], 'STOP (0x2e)', stop(data))
data = dumps({'name': ['a'], 'encoding': [np.ma.masked_array(vectors[0])]}, 3)
reject('masked-array.pickle', data, ['global numpy.ma.core._mareconstruct is not allowed'], 'GLOBAL (0x63)',
       first(data, 'GLOBAL', 'numpy.ma.core _mareconstruct'))
data = dumps(faces(), 5, buffer_callback=lambda buffer: False)
reject('out-of-band-p5.pickle', data, ['opcode not accepted'], 'NEXT_BUFFER (0x97)', first(data, 'NEXT_BUFFER'))
data = pickle.dumps(faces(), protocol=1)
reject('protocol-1.pickle', data, ['not a pickle of protocol 2 to 5'], None, 0)

class Utf8Bytes:
    """_codecs.encode with another codec than the one pickle uses for bytes."""
    def __reduce__(self):
        return (codecs.encode, ('b', 'utf-8'))
data = dumps({'name': ['a'], 'encoding': [Utf8Bytes()]}, 2)
reject('codecs-utf8.pickle', data, ["_codecs.encode called with ('b', 'utf-8')"], 'REDUCE (0x52)')

with open(os.path.join(out, 'manifest.json'), 'w') as file:
    json.dump(manifest, file)
"""#

    /// argv: output folder, face count. Writes that many random faces with pickle.dumps at every protocol from 2 to
    /// 5, float64 and float32, as `class-p<protocol>-<dtype>.pickle`, and prints the file names.
    static let writeClass = #"""
import os, pickle, sys
import numpy as np
out, count = sys.argv[1], int(sys.argv[2])
vectors = np.random.default_rng(546).normal(0.0, 0.1, (count, 128))
names = ['student_%05d' % index for index in range(count)]
for protocol in (2, 3, 4, 5):
    for dtype in ('f8', 'f4'):
        name = 'class-p%d-%s.pickle' % (protocol, dtype)
        with open(os.path.join(out, name), 'wb') as file:
            pickle.dump({'name': names, 'encoding': [v.astype('<' + dtype) for v in vectors]}, file, protocol=protocol)
        print(name)
"""#

    /// argv: pickle path, JSON of the expected names and encodings. Loads the pickle with numpy, checks it holds
    /// exactly those values as float64 arrays of 128, and prints whether numpy 1.x would have written the same bytes.
    static let checkWritten = numpy1Pickler + "\n\n" + #"""
path, expected_path = sys.argv[1], sys.argv[2]
with open(path, 'rb') as file:
    data = file.read()
with open(expected_path) as file:
    expected = json.load(file)
with warnings.catch_warnings():
    warnings.simplefilter('error')  # numpy 2.x must load it without a deprecation warning
    loaded = pickle.loads(data)
assert type(loaded) is dict and list(loaded) == ['name', 'encoding'], list(loaded)
assert loaded['name'] == expected['names'], loaded['name']
assert len(loaded['encoding']) == len(expected['encodings'])
for array, values in zip(loaded['encoding'], expected['encodings']):
    assert type(array) is np.ndarray and array.dtype == np.float64 and array.shape == (128,), (array.dtype, array.shape)
    assert array.tolist() == values
# What numpy 1.x's pickle.dumps(protocol=3) writes for the same data, byte for byte.
print('identical' if dumps(loaded, 3, 'numpy1') == data else 'different')
"""#
}
