"""A stand-in for Keras's forward pass in numpy, for tests on a machine without Keras.

It computes what Keras documents, independently of Stepwise's TypeScript: images channels-last
(batch, height, width, channels), a Dense kernel of inputs x units (y = x @ kernel + bias), a
Conv2D kernel of kh x kw x in x out (cross-correlation), Flatten in (height, width, channels)
order. Only what `stepwise export --keras` writes for a forward-only scenario is implemented.
"""

from . import layers  # noqa: F401


class backend:
    @staticmethod
    def set_floatx(name):
        assert name == 'float64'

def Input(shape):
    return ('input', tuple(shape))

class Sequential:
    def __init__(self, items):
        self.input_shape = items[0][1]
        self.layers = list(items[1:])

    def get_layer(self, name):
        return next(layer for layer in self.layers if layer.name == name)

    def predict(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
