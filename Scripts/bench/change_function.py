"""One function of a module changed, the way a redeploy changes it: for the incremental-rebuild measurement.

`changed(module)` inserts `i32.const 42; drop` at the start of one defined function's body (the median-sized
function of the middle third of the code section, so the change is neither the module's first nor its
largest function), which changes that function's code and moves every later function's body by 3 bytes, as a
real edit does. The module stays valid and behaves the same. Only the code section is rewritten: its size
and the changed body's size are re-encoded; everything else is copied byte for byte.
"""

import sys

INSERTED = bytes([0x41, 0x2A, 0x1A])  # i32.const 42; drop


def uleb(data, pos):
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def encode_uleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def skip_value_type(data, pos):
    kind = data[pos]
    pos += 1
    if kind in (0x63, 0x64):  # (ref null ht), (ref ht): a heap type, s33
        while data[pos] & 0x80:
            pos += 1
        pos += 1
    return pos


def changed(module, choose=None):
    """The module with one function changed, and that function's index among the defined functions."""
    data = bytes(module)
    pos = 8
    while pos < len(data):
        section_id = data[pos]
        size, content = uleb(data, pos + 1)
        end = content + size
        if section_id != 10:
            pos = end
            continue
        count, p = uleb(data, content)
        bodies = []
        for _ in range(count):
            body_size, start = uleb(data, p)
            bodies.append((start, start + body_size))
            p = start + body_size
        third = bodies[count // 3 : max(count // 3 + 1, 2 * count // 3)]
        if choose is None:
            by_size = sorted(range(len(third)), key=lambda i: (third[i][1] - third[i][0], i))
            target = count // 3 + by_size[len(by_size) // 2]
        else:
            target = choose
        start, stop = bodies[target]
        locals_count, q = uleb(data, start)
        for _ in range(locals_count):
            _, q = uleb(data, q)
            q = skip_value_type(data, q)
        body = data[start:q] + INSERTED + data[q:stop]
        new_content = bytearray(encode_uleb(count))
        for i, (b_start, b_stop) in enumerate(bodies):
            payload = body if i == target else data[b_start:b_stop]
            new_content += encode_uleb(len(payload)) + payload
        out = data[:pos] + bytes([10]) + encode_uleb(len(new_content)) + bytes(new_content) + data[end:]
        return out, target
    raise ValueError("the module has no code section")


if __name__ == "__main__":
    source, destination = sys.argv[1], sys.argv[2]
    with open(source, "rb") as f:
        result, index = changed(f.read())
    with open(destination, "wb") as f:
        f.write(result)
    print(f"changed defined function {index}")
