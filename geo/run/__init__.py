"""Running the pipeline: the chain of stages, one run of the tool, several cores, a Dask cluster."""
