import { Input, type InputProps, type InputRef } from 'antd';
import { type ChangeEvent, useRef } from 'react';

/** Groups digits as printed on the card: American Express 4-6-5, every other brand in fours (up to 19 digits). */
export function groupCardNumber(text: string): string {
  const digits = text.replace(/\D/g, '').slice(0, 19);
  const sizes = /^3[47]/.test(digits) ? [4, 6, 5] : [4, 4, 4, 4, 3];
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= digits.length) break;
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  return groups.join(' ');
}

/** Where the caret goes in the grouped text so that it stays after the same digit it followed. */
function caretAfterDigits(grouped: string, digitCount: number): number {
  let position = 0;
  let seen = 0;
  while (position < grouped.length && seen < digitCount) {
    if (/\d/.test(grouped.charAt(position))) seen += 1;
    position += 1;
  }
  return position;
}

/** The card number field: spaces appear as the customer types, without the caret jumping to the end. */
export function CardNumberInput({
  value,
  onChange,
  ...props
}: Omit<InputProps, 'onChange' | 'value'> & {
  value?: string;
  onChange?: (value: string) => void;
}) {
  const ref = useRef<InputRef>(null);

  const change = (event: ChangeEvent<HTMLInputElement>) => {
    const typed = event.target.value;
    const digitsBeforeCaret = typed.slice(0, event.target.selectionStart ?? typed.length).replace(/\D/g, '').length;
    const grouped = groupCardNumber(typed);
    onChange?.(grouped);
    requestAnimationFrame(() => {
      const input = ref.current?.input;
      if (!input || document.activeElement !== input) return;
      const caret = caretAfterDigits(grouped, digitsBeforeCaret);
      input.setSelectionRange(caret, caret);
    });
  };

  return (
    <Input
      {...props}
      ref={ref}
      value={value}
      onChange={change}
      inputMode="numeric"
      autoComplete="cc-number"
      maxLength={23}
      spellCheck={false}
    />
  );
}
