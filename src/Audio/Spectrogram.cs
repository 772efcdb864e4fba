namespace Conv.Notebook;

/// <summary>
/// How a signal's spectrum changes over time: the Hann-windowed amplitude spectrum of frames of
/// <see cref="FrameLength"/> samples taken every <see cref="Hop"/> samples, in dB as in <see cref="Spectrum.Decibels"/>.
/// A chirp is a rising line; after aliasing it folds back down at the Nyquist frequency.
/// </summary>
/// <param name="SampleRate">The signal's sample rate in Hz.</param>
/// <param name="FrameLength">Samples per frame.</param>
/// <param name="Hop">Samples from one frame's start to the next.</param>
/// <param name="Times">The centre of each frame, in seconds.</param>
/// <param name="Frequencies">The frequency of each bin, in Hz.</param>
/// <param name="Decibels">The amplitude in dB, indexed [bin, frame].</param>
/// <example><code>Spectrogram s = Spectrogram.Of(x, 16000, frameLength: 256, hop: 256);</code></example>
public sealed record Spectrogram(int SampleRate, int FrameLength, int Hop, double[] Times, double[] Frequencies, double[,] Decibels)
{
    /// <summary>The spectrogram of <paramref name="samples"/>.</summary>
    /// <param name="samples">The signal, at least <paramref name="frameLength"/> finite samples.</param>
    /// <param name="sampleRate">Samples per second, at least 1.</param>
    /// <param name="frameLength">Samples per frame, at least 2; the bins are sampleRate / frameLength apart.</param>
    /// <param name="hop">Samples between frame starts, at least 1.</param>
    /// <example><code>Spectrogram.Of(y, 8000, frameLength: 128, hop: 128) // 16 ms frames at 8 kHz</code></example>
    public static Spectrogram Of(float[] samples, int sampleRate, int frameLength, int hop)
    {
        AudioGuard.Samples(samples);
        AudioGuard.SampleRate(sampleRate);
        if (frameLength < 2) throw new ArgumentOutOfRangeException(nameof(frameLength), frameLength, $"A frame needs at least 2 samples, but frameLength is {frameLength}.");
        Guard.AtLeastOne(hop, nameof(hop), "hop");
        if (frameLength > samples.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(frameLength), frameLength,
                $"A frame cannot be longer than the signal: frameLength is {frameLength}, but samples has {samples.Length}.");
        }
        int frames = (samples.Length - frameLength) / hop + 1;
        int bins = frameLength / 2 + 1;
        var decibels = new double[bins, frames];
        var times = new double[frames];
        double[] frequencies = [];
        var frame = new float[frameLength];
        for (int f = 0; f < frames; f++)
        {
            Array.Copy(samples, f * hop, frame, 0, frameLength);
            Spectrum spectrum = Spectrum.Of(frame, sampleRate, hann: true);
            double[] db = spectrum.Decibels;
            for (int k = 0; k < bins; k++) decibels[k, f] = db[k];
            times[f] = (f * hop + frameLength / 2.0) / sampleRate;
            if (f == 0) frequencies = spectrum.Frequencies;
        }
        return new Spectrogram(sampleRate, frameLength, hop, times, frequencies, decibels);
    }
}
