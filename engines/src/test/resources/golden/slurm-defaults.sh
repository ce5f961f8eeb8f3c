#!/bin/bash
#SBATCH --job-name=gantry-ep-3
#SBATCH --output=/home/u/.gantry/endpoints/ep/blocks/gantry-ep-3.stdout
#SBATCH --error=/home/u/.gantry/endpoints/ep/blocks/gantry-ep-3.stderr
#SBATCH --nodes=2
#SBATCH --time=00:30:00
#SBATCH --ntasks-per-node=1
#SBATCH --exclusive
gantry-manager --interchange 10.0.0.1:5000
