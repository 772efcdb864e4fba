using NAudio.Wave;

namespace Conv.Notebook;

/// <summary>
/// Mono 16-bit PCM WAV files in memory, written and read by NAudio: what an audio player in a notebook or a
/// report plays. Samples are floats in [−1, 1]; values beyond are clipped to full scale.
/// </summary>
/// <example>
/// <code>
/// byte[] wav = Wav.Encode(Signals.Tone(440, 1, 16000, amplitude: 0.5), 16000);
/// var (samples, rate) = Wav.Decode(wav);   // 16000 samples at 16000 Hz, within 1 / 32767 of the tone
/// </code>
/// </example>
public static class Wav
{
    /// <summary>The 16-bit integer that a sample becomes: round(sample · 32767), clipped to [−32767, 32767].</summary>
    /// <param name="sample">A sample, normally in [−1, 1].</param>
    /// <example><code>Wav.Quantize(0.5f) // 16384</code></example>
    public static short Quantize(float sample) => (short)Math.Clamp(Math.Round(sample * (double)short.MaxValue), -short.MaxValue, short.MaxValue);

    /// <summary>The bytes of a mono 16-bit PCM WAV file holding <paramref name="samples"/>.</summary>
    /// <param name="samples">The signal, at least one finite sample; full scale is ±1.</param>
    /// <param name="sampleRate">Samples per second, at least 1.</param>
    /// <example><code>File.WriteAllBytes("tone.wav", Wav.Encode(x, 16000));</code></example>
    public static byte[] Encode(float[] samples, int sampleRate)
    {
        AudioGuard.Samples(samples);
        AudioGuard.SampleRate(sampleRate);
        var pcm = new short[samples.Length];
        for (int i = 0; i < samples.Length; i++) pcm[i] = Quantize(samples[i]);
        using var memory = new MemoryStream();
        // Disposing the writer writes the chunk sizes; NAudio 3 leaves a stream it was given open.
        using (var writer = new WaveFileWriter(memory, new WaveFormat(sampleRate, 16, 1)))
        {
            writer.WriteSamples(pcm, 0, pcm.Length);
        }
        return memory.ToArray();
    }

    /// <summary>The samples and sample rate of a mono 16-bit PCM WAV file, each sample the integer / 32767.</summary>
    /// <param name="wav">The bytes of the file.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="wav"/> is not a WAV file, is not mono 16-bit PCM, gives a sample rate below 1 or has a data chunk of an
    /// odd number of bytes.
    /// </exception>
    /// <example><code>var (samples, sampleRate) = Wav.Decode(File.ReadAllBytes("speech.wav"));</code></example>
    public static (float[] Samples, int SampleRate) Decode(byte[] wav)
    {
        ArgumentNullException.ThrowIfNull(wav);
        using WaveFileReader reader = Open(wav);
        WaveFormat format = reader.WaveFormat;
        if (format.Encoding != WaveFormatEncoding.Pcm || format.BitsPerSample != 16 || format.Channels != 1)
        {
            throw new ArgumentException(
                $"Only mono 16-bit PCM is read, but wav holds {format.Channels} channel(s) of {format.BitsPerSample}-bit {format.Encoding}.", nameof(wav));
        }
        if (format.SampleRate < 1)
        {
            throw new ArgumentException($"The sample rate must be at least 1 sample per second, but wav gives {format.SampleRate}.", nameof(wav));
        }
        // NAudio refuses to read half a sample, with an exception that names no parameter.
        if (reader.Length % format.BlockAlign != 0)
        {
            throw new ArgumentException(
                $"The data chunk must hold whole 16-bit samples, {format.BlockAlign} bytes each, but wav's holds {reader.Length} bytes.", nameof(wav));
        }
        var bytes = new byte[reader.Length];
        int read = 0;
        for (int got; read < bytes.Length && (got = reader.Read(bytes, read, bytes.Length - read)) > 0;) read += got;
        var samples = new float[read / 2];
        for (int i = 0; i < samples.Length; i++) samples[i] = BitConverter.ToInt16(bytes, 2 * i) / (float)short.MaxValue;
        return (samples, format.SampleRate);
    }

    private static WaveFileReader Open(byte[] wav)
    {
        try
        {
            return new WaveFileReader(new MemoryStream(wav, writable: false));
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or InvalidDataException)
        {
            throw new ArgumentException($"wav is not a WAV file ({wav.Length} bytes): {e.Message}", nameof(wav), e);
        }
    }
}
