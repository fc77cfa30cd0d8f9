/** Sexagesimal coordinates as astronomers read them. */

function sexagesimal(value: number, digits: number): string {
  const whole = Math.floor(value);
  const minutesFloat = (value - whole) * 60;
  const minutes = Math.floor(minutesFloat);
  const seconds = (minutesFloat - minutes) * 60;
  const secondsText = seconds.toFixed(digits).padStart(digits + 3, '0');
  return `${String(whole).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${secondsText}`;
}

/** Right ascension in degrees → "hh:mm:ss.ss". */
export function formatRa(degrees: number): string {
  const hours = (((degrees % 360) + 360) % 360) / 15;
  return sexagesimal(hours, 2);
}

/** Declination in degrees → "±dd:mm:ss.s". */
export function formatDec(degrees: number): string {
  const sign = degrees < 0 ? '−' : '+';
  return sign + sexagesimal(Math.abs(degrees), 1);
}
