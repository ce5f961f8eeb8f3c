#!/bin/bash
#PBS -S /bin/bash
#PBS -N gantry-ep-3
#PBS -m n
#PBS -l walltime=01:00:00
#PBS -o /home/u/.gantry/endpoints/ep/blocks/gantry-ep-3.stdout
#PBS -e /home/u/.gantry/endpoints/ep/blocks/gantry-ep-3.stderr
#PBS -l select=2:ncpus=16:ngpus=1:mem=64gb
#PBS -q workq
#PBS -A proj-42
#PBS -l filesystems=home
#PBS -j oe
source ~/env.sh
gantry-manager --interchange 10.0.0.1:5000
