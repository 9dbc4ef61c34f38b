"""A stand-in for the few torch APIs the real worker uses, for tests/core/test_torch_worker_script.cpp.

Standard library only: it lets the REAL worker (not the fake one) run load → prepare → forward →
output → release on a machine without torch, so its plumbing is tested everywhere. Tensors are flat
Python lists with a shape; only what the worker calls exists. Not a model of torch's numerics.
"""
import array
import contextlib

__version__ = "2.11.0-mock"

float32, float16, bfloat16, int32, int64 = "float32", "float16", "bfloat16", "int32", "int64"
_threads = [1]


class device:
    def __init__(self, kind):
        self.type = str(kind)


class _Version:
    cuda = None


version = _Version()


class _Cuda:
    class OutOfMemoryError(RuntimeError):
        pass

    @staticmethod
    def is_available():
        return False


cuda = _Cuda()


class Tensor:
    def __init__(self, data, shape, dtype):
        self.data, self.shape, self.dtype = list(data), tuple(shape), dtype

    def numel(self):
        return len(self.data)

    def reshape(self, *shape):
        shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (list, tuple)) else tuple(shape)
        if -1 in shape:
            known = 1
            for d in shape:
                known *= d if d != -1 else 1
            shape = tuple(len(self.data) // known if d == -1 else d for d in shape)
        count = 1
        for d in shape:
            count *= d
        if count != len(self.data):
            raise RuntimeError(f"shape {shape} is invalid for input of size {len(self.data)}")
        return Tensor(self.data, shape, self.dtype)

    def to(self, target=None, dtype=None):
        if isinstance(target, str) and target in (float32, float16, bfloat16, int32, int64):
            dtype = target
        if dtype in (int32, int64):
            return Tensor([int(v) for v in self.data], self.shape, dtype)
        if dtype is not None:
            return Tensor([float(v) for v in self.data], self.shape, dtype)
        return self

    def float(self):
        return self.to(dtype=float32)

    def clone(self):
        return Tensor(self.data, self.shape, self.dtype)

    def detach(self):
        return self

    def cpu(self):
        return self

    def contiguous(self):
        return self

    def tolist(self):
        return list(self.data)

    def numpy(self):
        raise RuntimeError("mock torch has no numpy")   # the worker's array fallback is taken

    def copy_(self, other):
        if other.shape != self.shape:
            raise RuntimeError(f"copy_ of shape {other.shape} into {self.shape}")
        self.data = list(other.data)
        return self


def frombuffer(buffer, dtype):
    codes = {int32: "i", float32: "f"}
    values = array.array(codes[dtype])
    values.frombytes(bytes(buffer))
    return Tensor(values.tolist(), (len(values),), dtype)


def stack(tensors, dim=-1):
    assert dim == -1
    n = len(tensors)
    data = [0.0] * (len(tensors[0].data) * n)
    for i, t in enumerate(tensors):
        data[i::n] = t.data
    return Tensor(data, tensors[0].shape + (n,), tensors[0].dtype)


def set_num_threads(n):
    _threads[0] = n


def get_num_threads():
    return _threads[0]


@contextlib.contextmanager
def inference_mode():
    yield


@contextlib.contextmanager
def no_grad():
    yield
