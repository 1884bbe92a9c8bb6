const colours: Record<number, string> = { 1: '#ff7875', 2: '#ffa940', 3: '#fadb14', 4: '#95de64', 5: '#52c41a' };

/**
 * A rating face drawn in SVG rather than an emoji, so it looks the same on every system (some have
 * no emoji font at all): 1 frowns, 3 is level, 5 smiles. The widget draws the same face.
 */
export function Face({ score, size = 28 }: { score: number; size?: number }) {
  const mouth = 15.5 + (score - 3) * 2.2;
  const colour = colours[score] ?? '#d9d9d9';
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="rating-face-svg">
      <circle cx="12" cy="12" r="10.5" fill={colour} fillOpacity="0.35" stroke={colour} strokeWidth="1.5" />
      <circle cx="8.7" cy="9.8" r="1.3" fill="#262626" />
      <circle cx="15.3" cy="9.8" r="1.3" fill="#262626" />
      <path d={`M7.8 15.5 Q12 ${mouth} 16.2 15.5`} fill="none" stroke="#262626" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
