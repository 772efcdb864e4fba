namespace Conv.Notebook;

/// <summary>
/// Test signals as arrays of float samples: tones, linear chirps and seeded noise, their sum, and the two plain
/// operations of the audio notebook, keeping every n-th sample and turning a signal into a Conv1d input.
/// </summary>
/// <example>
/// <code>
/// // 2 s at 16 kHz: a chirp from 200 Hz to 7.8 kHz and two tones.
/// float[] x = Signals.Sum(Signals.Chirp(200, 7800, 2, 16000, amplitude: 0.3),
///                         Signals.Tone(1000, 2, 16000, amplitude: 0.25),
///                         Signals.Tone(6000, 2, 16000, amplitude: 0.25));
/// </code>
/// </example>
public static class Signals
{
    /// <summary>The number of samples in <paramref name="seconds"/> at <paramref name="sampleRate"/>, rounded.</summary>
    /// <param name="seconds">The duration, positive.</param>
    /// <param name="sampleRate">Samples per second, at least 1.</param>
    /// <example><code>Signals.Length(2, 16000) // 32000</code></example>
    public static int Length(double seconds, int sampleRate)
    {
        AudioGuard.SampleRate(sampleRate);
        AudioGuard.Seconds(seconds, sampleRate);
        return (int)Math.Round(seconds * sampleRate);
    }

    /// <summary>A sine tone: amplitude · sin(2π f t + phase) at t = n / sampleRate.</summary>
    /// <param name="frequency">The frequency in Hz, from 0 up to the Nyquist frequency sampleRate / 2.</param>
    /// <param name="seconds">The duration, positive.</param>
    /// <param name="sampleRate">Samples per second, at least 1.</param>
    /// <param name="amplitude">The peak value.</param>
    /// <param name="phase">The phase at t = 0, in radians.</param>
    /// <example><code>float[] a = Signals.Tone(440, seconds: 1, sampleRate: 16000, amplitude: 0.5);</code></example>
    public static float[] Tone(double frequency, double seconds, int sampleRate, double amplitude = 1, double phase = 0)
    {
        int count = Length(seconds, sampleRate);
        AudioGuard.Frequency(frequency, sampleRate, nameof(frequency));
        AudioGuard.Finite(amplitude, nameof(amplitude), "amplitude");
        AudioGuard.Finite(phase, nameof(phase), "phase");
        var samples = new float[count];
        for (int n = 0; n < count; n++)
        {
            samples[n] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * n / sampleRate + phase));
        }
        return samples;
    }

    /// <summary>
    /// A linear chirp: a sine whose frequency sweeps from <paramref name="startFrequency"/> at t = 0 to
    /// <paramref name="endFrequency"/> at the end, amplitude · sin(2π (f₀ t + (f₁ − f₀) t² / (2T))).
    /// </summary>
    /// <param name="startFrequency">The frequency at the start, in Hz, from 0 up to sampleRate / 2.</param>
    /// <param name="endFrequency">The frequency at the end, in Hz, from 0 up to sampleRate / 2.</param>
    /// <param name="seconds">The duration T, positive.</param>
    /// <param name="sampleRate">Samples per second, at least 1.</param>
    /// <param name="amplitude">The peak value.</param>
    /// <example><code>float[] sweep = Signals.Chirp(200, 7800, seconds: 2, sampleRate: 16000, amplitude: 0.3);</code></example>
    public static float[] Chirp(double startFrequency, double endFrequency, double seconds, int sampleRate, double amplitude = 1)
    {
        int count = Length(seconds, sampleRate);
        AudioGuard.Frequency(startFrequency, sampleRate, nameof(startFrequency));
        AudioGuard.Frequency(endFrequency, sampleRate, nameof(endFrequency));
        AudioGuard.Finite(amplitude, nameof(amplitude), "amplitude");
        double rate = (endFrequency - startFrequency) / seconds;
        var samples = new float[count];
        for (int n = 0; n < count; n++)
        {
            double t = (double)n / sampleRate;
            samples[n] = (float)(amplitude * Math.Sin(2 * Math.PI * (startFrequency * t + rate * t * t / 2)));
        }
        return samples;
    }

    /// <summary>White Gaussian noise with standard deviation <paramref name="amplitude"/>, the same for the same seed.</summary>
    /// <param name="seed">The seed, as for <see cref="Tensor.Randn"/>.</param>
    /// <param name="seconds">The duration, positive.</param>
    /// <param name="sampleRate">Samples per second, at least 1.</param>
    /// <param name="amplitude">The standard deviation.</param>
    /// <example><code>float[] hiss = Signals.Noise(seed: 0, seconds: 2, sampleRate: 16000, amplitude: 0.01);</code></example>
    public static float[] Noise(int seed, double seconds, int sampleRate, double amplitude = 1)
    {
        int count = Length(seconds, sampleRate);
        AudioGuard.Finite(amplitude, nameof(amplitude), "amplitude");
        float[] samples = Tensor.Randn(seed, count).ToArray();
        for (int n = 0; n < count; n++) samples[n] = (float)(samples[n] * amplitude);
        return samples;
    }

    /// <summary>The sample-by-sample sum of signals of one length.</summary>
    /// <param name="signals">At least one signal; all of the same length.</param>
    /// <example><code>float[] mix = Signals.Sum(low, high);</code></example>
    public static float[] Sum(params float[][] signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (signals.Length == 0) throw new ArgumentException("There must be at least one signal to sum, but signals is empty.", nameof(signals));
        for (int i = 0; i < signals.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(signals[i], $"signals[{i}]");
            if (signals[i].Length != signals[0].Length)
            {
                throw new ArgumentException(
                    $"All signals must have the same length, but signals[0] has {signals[0].Length} samples and signals[{i}] has {signals[i].Length}.",
                    nameof(signals));
            }
        }
        var sum = new float[signals[0].Length];
        foreach (float[] signal in signals)
        {
            for (int n = 0; n < sum.Length; n++) sum[n] += signal[n];
        }
        return sum;
    }

    /// <summary>Every <paramref name="step"/>-th sample from <paramref name="offset"/> on, as numpy's <c>x[offset::step]</c>.</summary>
    /// <param name="samples">The signal.</param>
    /// <param name="step">The step, at least 1.</param>
    /// <param name="offset">The first index kept, from 0 to step − 1.</param>
    /// <example><code>Signals.KeepEvery([0, 1, 2, 3, 4], 2) // [0, 2, 4]</code></example>
    public static float[] KeepEvery(float[] samples, int step, int offset = 0)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Guard.AtLeastOne(step, nameof(step), "step");
        if (offset < 0 || offset >= step)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The offset must be from 0 to step − 1 = {step - 1}, but it is {offset}.");
        }
        int count = samples.Length <= offset ? 0 : (samples.Length - offset + step - 1) / step;
        var kept = new float[count];
        for (int i = 0; i < count; i++) kept[i] = samples[offset + i * step];
        return kept;
    }

    /// <summary>The signal as a Conv1d input of shape (1, 1, L): one signal in a batch of one, one channel.</summary>
    /// <param name="samples">The signal, at least one sample.</param>
    /// <example><code>float[] y = Convolution.Conv1d(Signals.ToTensor(x), kernel, stride: 2).ToArray();</code></example>
    public static Tensor ToTensor(float[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Length == 0) throw new ArgumentException("A signal needs at least one sample, but samples is empty.", nameof(samples));
        return new Tensor([1, 1, samples.Length], samples);
    }

    /// <summary>The mean of the squared samples: the signal's power, whose 10 · log10 is its level in dB.</summary>
    /// <param name="samples">The signal, at least one sample.</param>
    /// <example><code>Signals.MeanSquare(Signals.Tone(1000, 1, 16000)) // 0.5</code></example>
    public static double MeanSquare(float[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Length == 0) throw new ArgumentException("A signal needs at least one sample, but samples is empty.", nameof(samples));
        double sum = 0;
        foreach (float s in samples) sum += (double)s * s;
        return sum / samples.Length;
    }
}
