/** The shortest decimal that reads back as the same float32 (probabilities are stored as float32). */
export function float32Text(value: number): string {
  const f = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const text = f.toPrecision(digits);
    if (Math.fround(Number(text)) === f) return String(Number(text));
  }
  return String(Number(f.toPrecision(9)));
}

/** Text of a numeric cell: shortest round-trip decimal for its type; '' for null. */
export function numberText(value: number | null, type: 'int' | 'float' | 'double'): string {
  if (value === null || !Number.isFinite(value)) return '';
  if (type === 'float') return float32Text(value);
  return String(value);
}
