#!/bin/bash
#SBATCH --job-name=gantry-ep-3
#SBATCH --output=/home/u/.gantry/endpoints/ep/blocks/gantry-ep-3.stdout
#SBATCH --error=/home/u/.gantry/endpoints/ep/blocks/gantry-ep-3.stderr
#SBATCH --nodes=2
#SBATCH --time=02:00:00
#SBATCH --ntasks-per-node=1
#SBATCH --partition=debug
#SBATCH --account=proj-42
#SBATCH --qos=high
#SBATCH --constraint=haswell&ib
#SBATCH --cpus-per-task=32
#SBATCH --mem=64g
#SBATCH --gpus-per-node=4
#SBATCH --mail-type=NONE
#SBATCH --licenses=scratch
module load java/21
export X=1
gantry-manager --interchange 10.0.0.1:5000
