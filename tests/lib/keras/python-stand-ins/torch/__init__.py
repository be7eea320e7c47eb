"""A stand-in for PyTorch's forward pass in numpy, for tests on a machine without PyTorch.

It computes what PyTorch documents, independently of Stepwise's TypeScript: nn.Linear's weight is
out x in (y = x @ weight.T + bias), nn.Conv2d's out x in x kh x kw on (batch, channels, height,
width) images (cross-correlation, zero padding), nn.Flatten in (channels, height, width) order.
Only what `stepwise export --pytorch` writes for a forward-only scenario is implemented.
"""
import contextlib

import numpy as np

from . import nn  # noqa: F401

float64 = 'float64'


def set_default_dtype(dtype):
    assert dtype == float64


def tensor(values, dtype):
    return np.array(values, dtype=dtype)


@contextlib.contextmanager
def no_grad():
    yield
