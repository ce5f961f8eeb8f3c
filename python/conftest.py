# Lets the tests import gantry_compute from this directory, without installing it.
