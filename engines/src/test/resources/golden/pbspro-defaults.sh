#!/bin/bash
#PBS -S /bin/bash
#PBS -N gantry-ep-3
#PBS -m n
#PBS -l walltime=00:30:00
#PBS -o /home/u/.gantry/endpoints/ep/blocks/gantry-ep-3.stdout
#PBS -e /home/u/.gantry/endpoints/ep/blocks/gantry-ep-3.stderr
#PBS -l select=2:ncpus=1
gantry-manager --interchange 10.0.0.1:5000
