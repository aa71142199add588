// Benchmarks print one JSON object per line: {"name","value","unit","goal"}, the goal a comparison or null.
export interface Measurement {
  name: string;
  value: number;
  unit: string;
  goal: string | null;
}

export function report(measurement: Measurement): void {
  const value = Math.round(measurement.value * 1000) / 1000;
  process.stdout.write(`${JSON.stringify({ ...measurement, value })}\n`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}
