import numpy as np


class Parameter:
    def __init__(self, shape):
        self.value = np.full(shape, np.nan)

    def copy_(self, values):
        assert values.shape == self.value.shape, (values.shape, self.value.shape)
        self.value = values


class Linear:
    def __init__(self, inputs, outputs):
        self.weight, self.bias = Parameter((outputs, inputs)), Parameter((outputs,))

    def __call__(self, x):
        return x @ self.weight.value.T + self.bias.value


class Conv2d:
    def __init__(self, inputs, outputs, kernel_size, stride, padding):
        self.weight, self.bias = Parameter((outputs, inputs, *kernel_size)), Parameter((outputs,))
        self.stride, self.padding = stride, padding

    def __call__(self, x):
        (ph, pw), (sh, sw) = self.padding, self.stride
        x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
        f, c, kh, kw = self.weight.value.shape
        oh, ow = (x.shape[2] - kh) // sh + 1, (x.shape[3] - kw) // sw + 1
        out = np.zeros((x.shape[0], f, oh, ow))
        for i in range(oh):
            for j in range(ow):
                window = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
                out[:, :, i, j] = np.tensordot(window, self.weight.value, axes=([1, 2, 3], [1, 2, 3])) + self.bias.value
        return out


class _Pool:
    def __init__(self, kernel_size, stride):
        self.kernel_size, self.stride = kernel_size, stride

    def __call__(self, x):
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        oh, ow = (x.shape[2] - kh) // sh + 1, (x.shape[3] - kw) // sw + 1
        out = np.zeros((x.shape[0], x.shape[1], oh, ow))
        for i in range(oh):
            for j in range(ow):
                out[:, :, i, j] = self.reduce(x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw], axis=(2, 3))
        return out


class MaxPool2d(_Pool):
    reduce = staticmethod(np.max)


class AvgPool2d(_Pool):
    reduce = staticmethod(np.mean)


class Flatten:
    def __call__(self, x):
        return x.reshape(x.shape[0], -1)


class ReLU:
    def __call__(self, x):
        return np.maximum(x, 0)


class Sigmoid:
    def __call__(self, x):
        return 1 / (1 + np.exp(-x))


class Tanh:
    def __call__(self, x):
        return np.tanh(x)


class Softplus:
    def __call__(self, x):
        return np.log1p(np.exp(x))


class Softmax:
    def __init__(self, dim):
        assert dim == 1

    def __call__(self, x):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


class Sequential:
    def __init__(self, *modules):
        self.modules = modules

    def __getitem__(self, i):
        return self.modules[i]

    def __call__(self, x):
        for module in self.modules:
            x = module(x)
        return x
