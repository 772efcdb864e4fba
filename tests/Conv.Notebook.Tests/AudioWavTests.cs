using CsCheck;
using NAudio.Wave;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="Wav"/>: the bytes are a mono 16-bit PCM WAV file that NAudio's reader parses back to the same
/// samples within 16-bit quantization; values beyond full scale clip; bytes that are no WAV file are refused.
/// </summary>
public sealed class AudioWavTests
{
    [Fact]
    public void Encoded_samples_parse_back_within_quantization() =>
        Gen.Float[-1, 1].Array[1, 500].Select(Gen.OneOf(8000, 16000, 44100)).Sample(c =>
        {
            var (x, rate) = c;
            byte[] wav = Wav.Encode(x, rate);
            Assert.Equal(44 + 2 * x.Length, wav.Length);

            using var reader = new WaveFileReader(new MemoryStream(wav));
            Assert.Equal(rate, reader.WaveFormat.SampleRate);
            Assert.Equal(1, reader.WaveFormat.Channels);
            Assert.Equal(16, reader.WaveFormat.BitsPerSample);
            Assert.Equal(WaveFormatEncoding.Pcm, reader.WaveFormat.Encoding);
            Assert.Equal(x.Length, reader.SampleCount);
            var read = new float[x.Length];
            Assert.Equal(x.Length, reader.ToSampleProvider().Read(read.AsSpan()));
            for (int i = 0; i < x.Length; i++)
            {
                // NAudio reads 16-bit samples as the integer / 32768.
                Assert.True(Math.Abs(read[i] * 32768f / 32767f - x[i]) <= 0.5f / 32767 + 1e-6f, $"sample {i}: {read[i]} for {x[i]}");
            }

            var (samples, decodedRate) = Wav.Decode(wav);
            Assert.Equal(rate, decodedRate);
            Assert.Equal(x.Length, samples.Length);
            for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(samples[i] - x[i]) <= 0.5f / 32767 + 1e-7f);
        });

    [Fact]
    public void Quantize_rounds_to_the_nearest_step_and_clips_at_full_scale()
    {
        Assert.Equal(16384, Wav.Quantize(0.5f));
        Assert.Equal(0, Wav.Quantize(0.4f / 32767));
        Assert.Equal(1, Wav.Quantize(0.6f / 32767));
        Assert.Equal(32767, Wav.Quantize(1f));
        Assert.Equal(32767, Wav.Quantize(1.5f));
        Assert.Equal(-32767, Wav.Quantize(-2f));
    }

    [Fact]
    public void Decode_refuses_what_is_not_mono_16_bit_pcm()
    {
        var garbage = Assert.Throws<ArgumentException>(() => Wav.Decode([1, 2, 3, 4, 5, 6, 7, 8]));
        Assert.Equal("wav", garbage.ParamName);
        Assert.Contains("not a WAV file", garbage.Message, StringComparison.Ordinal);

        using var memory = new MemoryStream();
        using (var writer = new WaveFileWriter(memory, new WaveFormat(8000, 16, 2)))
        {
            writer.WriteSamples(new short[] { 1, 2, 3, 4 }, 0, 4);
        }
        var stereo = Assert.Throws<ArgumentException>(() => Wav.Decode(memory.ToArray()));
        Assert.Equal("wav", stereo.ParamName);
        Assert.Contains("2 channel(s)", stereo.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_rejects_bad_input()
    {
        Assert.Equal("samples", Assert.Throws<ArgumentException>(() => Wav.Encode([], 8000)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentException>(() => Wav.Encode([float.PositiveInfinity], 8000)).ParamName);
        Assert.Equal("sampleRate", Assert.Throws<ArgumentOutOfRangeException>(() => Wav.Encode([0], -1)).ParamName);
    }
}
