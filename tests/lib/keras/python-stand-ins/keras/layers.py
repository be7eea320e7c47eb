import numpy as np

ACTIVATIONS = {
    'linear': lambda z: z,
    'relu': lambda z: np.maximum(z, 0),
    'sigmoid': lambda z: 1 / (1 + np.exp(-z)),
    'tanh': np.tanh,
    'softplus': lambda z: np.log1p(np.exp(z)),
    'softmax': lambda z: np.exp(z - z.max(axis=-1, keepdims=True)) / np.exp(z - z.max(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True),
}


class Layer:
    def __init__(self, name):
        self.name = name
        self.weights = None

    def set_weights(self, weights):
        self.weights = [np.asarray(w, dtype='float64') for w in weights]


class Dense(Layer):
    def __init__(self, units, activation='linear', name=None):
        super().__init__(name)
        self.units, self.activation = units, activation

    def __call__(self, x):
        kernel, bias = self.weights
        assert kernel.shape == (x.shape[-1], self.units)
        return ACTIVATIONS[self.activation](x @ kernel + bias)


class Conv2D(Layer):
    def __init__(self, filters, kernel_size, strides, padding, activation='linear', name=None):
        super().__init__(name)
        assert padding == 'valid'
        self.filters, self.kernel_size, self.strides, self.activation = filters, kernel_size, strides, activation

    def __call__(self, x):
        kernel, bias = self.weights
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        n, h, w, c = x.shape
        assert kernel.shape == (kh, kw, c, self.filters)
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
        out = np.zeros((n, oh, ow, self.filters))
        for i in range(oh):
            for j in range(ow):
                window = x[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :]
                out[:, i, j, :] = np.tensordot(window, kernel, axes=([1, 2, 3], [0, 1, 2])) + bias
        return ACTIVATIONS[self.activation](out)


class ZeroPadding2D(Layer):
    def __init__(self, padding, name=None):
        super().__init__(name)
        self.padding = padding

    def __call__(self, x):
        ph, pw = self.padding
        return np.pad(x, ((0, 0), (ph, ph), (pw, pw), (0, 0)))


class _Pooling(Layer):
    def __init__(self, pool_size, strides, name=None):
        super().__init__(name)
        self.pool_size, self.strides = pool_size, strides

    def __call__(self, x):
        (kh, kw), (sh, sw) = self.pool_size, self.strides
        n, h, w, c = x.shape
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
        out = np.zeros((n, oh, ow, c))
        for i in range(oh):
            for j in range(ow):
                out[:, i, j, :] = self.reduce(x[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :], axis=(1, 2))
        return out


class MaxPooling2D(_Pooling):
    reduce = staticmethod(np.max)


class AveragePooling2D(_Pooling):
    reduce = staticmethod(np.mean)


class Flatten(Layer):
    def __call__(self, x):
        return x.reshape(x.shape[0], -1)
