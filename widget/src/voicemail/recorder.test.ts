import { describe, expect, it } from 'vitest';
import { emptyTakeProblem, fileNameFor, formatClock, pickRecordingType, problemOf } from './recorder';

describe('the voicemail recorder', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'no-microphone'],
    ['OverconstrainedError', 'no-microphone'],
    ['NotReadableError', 'failed'],
    ['AbortError', 'failed'],
  ])('tells a refusal named %s apart as %s', (name, problem) => {
    expect(problemOf(Object.assign(new Error('refused'), { name }))).toBe(problem);
  });

  it('treats anything else thrown as a microphone that would not start', () => {
    expect(problemOf('nope')).toBe('failed');
    expect(problemOf(undefined)).toBe('failed');
  });

  it('calls a take stopped at once with nothing recorded too short, and a longer silent one a microphone that failed', () => {
    expect(emptyTakeProblem(0.02)).toBe('too-short');
    expect(emptyTakeProblem(0.9)).toBe('too-short');
    expect(emptyTakeProblem(1)).toBe('failed');
    expect(emptyTakeProblem(30)).toBe('failed');
  });

  it('records what the server accepts, Opus first', () => {
    expect(pickRecordingType(() => true)).toBe('audio/webm;codecs=opus');
    expect(pickRecordingType((type) => type.startsWith('audio/ogg'))).toBe('audio/ogg;codecs=opus');
    expect(pickRecordingType((type) => type === 'audio/mp4')).toBe('audio/mp4');
    expect(pickRecordingType((type) => type === 'audio/wav')).toBeUndefined();
    expect(fileNameFor('audio/mp4;codecs=mp4a.40.2')).toBe('voicemail.m4a');
    expect(fileNameFor('audio/ogg;codecs=opus')).toBe('voicemail.ogg');
    expect(fileNameFor('audio/webm;codecs=opus')).toBe('voicemail.webm');
  });

  it('shows the timer as minutes and seconds', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(7_900)).toBe('0:07');
    expect(formatClock(120_000)).toBe('2:00');
    expect(formatClock(-5)).toBe('0:00');
  });
});
