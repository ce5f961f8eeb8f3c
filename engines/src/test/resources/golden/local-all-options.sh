#!/bin/bash
module load java/21
gantry-manager --interchange 10.0.0.1:5000
