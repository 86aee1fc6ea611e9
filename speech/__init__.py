"""Speech in and out, used by the stages and the auth agent: decoding audio, speech to text
(offline Whisper or Groq), text to speech (piper, espeak-ng, hibari), the voice profile, the
voiceprint, the check on unclear speech, and the pinned model files."""
