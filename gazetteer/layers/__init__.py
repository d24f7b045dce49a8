"""Gazetteer data sources; each module holds one layer, the shared interface is in `base`."""

from gazetteer.layers.base import DEFAULT_LAYERS, Layer, layer_class, layer_names

__all__ = ["DEFAULT_LAYERS", "Layer", "layer_class", "layer_names"]
