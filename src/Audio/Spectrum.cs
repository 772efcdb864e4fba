using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace Conv.Notebook;

/// <summary>A local maximum of a spectrum: its frequency and amplitude.</summary>
/// <param name="Frequency">The frequency of the peak's bin, in Hz.</param>
/// <param name="Amplitude">The amplitude there: a sine of amplitude A centred on a bin reads A.</param>
/// <param name="Decibels">20 · log10 of the amplitude: 0 dB is a full-scale sine of amplitude 1.</param>
/// <example><code>SpectralPeak top = Spectrum.Of(x, 16000, hann: true).Peaks(1)[0]; // top.Frequency, top.Decibels</code></example>
public sealed record SpectralPeak(double Frequency, double Amplitude, double Decibels);

/// <summary>
/// The one-sided spectrum of a real signal by MathNet's FFT: frequencies from 0 to the Nyquist frequency, the
/// amplitude at each (for reading tones and peaks), and the power in each bin (for measuring energy in a band).
/// </summary>
/// <remarks>
/// Amplitudes come from the windowed signal when a window is asked for (a Hann window keeps a strong tone from
/// leaking into the whole spectrum), scaled by the window's sum so that a sine of amplitude A centred on a bin
/// reads A. Powers always come from the signal without window, scaled so that they add up to the mean square
/// of the samples (Parseval's theorem), so that <see cref="BandPower"/> measures energy exactly.
/// </remarks>
/// <example>
/// <code>
/// Spectrum s = Spectrum.Of(Signals.Tone(1000, 1, 16000, amplitude: 0.5), 16000);
/// s.Peaks(1)[0]      // 1000 Hz, amplitude 0.5 (−6 dB)
/// s.BandPower(0, 8000) // 0.125, the mean square of the samples
/// </code>
/// </example>
public sealed class Spectrum
{
    private const double FloorAmplitude = 1e-10;
    private readonly double[] _frequencies;
    private readonly double[] _amplitude;
    private readonly double[] _power;

    private Spectrum(int sampleRate, int length, double[] frequencies, double[] amplitude, double[] power)
    {
        SampleRate = sampleRate;
        Length = length;
        _frequencies = frequencies;
        _amplitude = amplitude;
        _power = power;
    }

    /// <summary>The sample rate of the signal, in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>The number of samples transformed.</summary>
    public int Length { get; }

    /// <summary>The Nyquist frequency, half the sample rate: the highest frequency the signal can hold.</summary>
    public double Nyquist => SampleRate / 2.0;

    /// <summary>The spacing of the bins in Hz: sampleRate / Length.</summary>
    public double Resolution => (double)SampleRate / Length;

    /// <summary>The frequency of each bin, k · sampleRate / Length for k = 0 … ⌊Length / 2⌋ (a copy).</summary>
    public double[] Frequencies => (double[])_frequencies.Clone();

    /// <summary>The amplitude in each bin (a copy); a sine of amplitude A centred on a bin reads A there.</summary>
    public double[] Amplitude => (double[])_amplitude.Clone();

    /// <summary>20 · log10 of each amplitude, in dB relative to a full-scale sine; amplitudes below 10⁻¹⁰ read −200 dB.</summary>
    public double[] Decibels => _amplitude.Select(ToDecibels).ToArray();

    /// <summary>The power in each bin, from the signal without window (a copy); the bins add up to the mean square of the samples.</summary>
    public double[] Power => (double[])_power.Clone();

    /// <summary>The spectrum of <paramref name="samples"/>.</summary>
    /// <param name="samples">The signal, at least one finite sample.</param>
    /// <param name="sampleRate">Samples per second, at least 1.</param>
    /// <param name="hann">Whether the amplitudes come from the signal times a Hann window (the powers never do).</param>
    /// <example><code>Spectrum s = Spectrum.Of(x, 16000, hann: true);</code></example>
    public static Spectrum Of(float[] samples, int sampleRate, bool hann = false)
    {
        AudioGuard.Samples(samples);
        AudioGuard.SampleRate(sampleRate);
        int n = samples.Length, bins = n / 2 + 1;
        Complex[] plain = Transform(samples, window: null);
        var power = new double[bins];
        for (int k = 0; k < bins; k++)
        {
            // The negative frequency −k carries the same power as k, except at 0 and at the Nyquist bin of an even length.
            bool paired = k != 0 && !(n % 2 == 0 && k == n / 2);
            power[k] = (paired ? 2.0 : 1.0) * plain[k].Magnitude * plain[k].Magnitude / ((double)n * n);
        }
        double[]? window = hann && n > 1 ? MathNet.Numerics.Window.HannPeriodic(n) : null;
        Complex[] spectrum = window is null ? plain : Transform(samples, window);
        double gain = window?.Sum() ?? n;
        var amplitude = new double[bins];
        var frequencies = new double[bins];
        for (int k = 0; k < bins; k++)
        {
            bool paired = k != 0 && !(n % 2 == 0 && k == n / 2);
            amplitude[k] = (paired ? 2.0 : 1.0) * spectrum[k].Magnitude / gain;
            frequencies[k] = (double)k * sampleRate / n;
        }
        return new Spectrum(sampleRate, n, frequencies, amplitude, power);
    }

    /// <summary>The power of the signal's components from <paramref name="low"/> to <paramref name="high"/> Hz, both included.</summary>
    /// <param name="low">The lower edge in Hz, at least 0.</param>
    /// <param name="high">The upper edge in Hz, at least <paramref name="low"/>.</param>
    /// <example><code>double above = Spectrum.Of(x, 16000).BandPower(4000, 8000);</code></example>
    public double BandPower(double low, double high)
    {
        CheckBand(low, high);
        double sum = 0;
        for (int k = 0; k < _power.Length; k++)
        {
            if (_frequencies[k] >= low && _frequencies[k] <= high) sum += _power[k];
        }
        return sum;
    }

    /// <summary>The <paramref name="count"/> highest local maxima of the amplitude, highest first.</summary>
    /// <param name="count">How many peaks, at least 1; fewer come back when the spectrum has fewer.</param>
    /// <example><code>var top = Spectrum.Of(y, 8000, hann: true).Peaks(2); // the tone and its alias</code></example>
    public IReadOnlyList<SpectralPeak> Peaks(int count)
    {
        Guard.AtLeastOne(count, nameof(count), "number of peaks");
        var peaks = new List<int>();
        for (int k = 0; k < _amplitude.Length; k++)
        {
            bool aboveLeft = k == 0 || _amplitude[k] > _amplitude[k - 1];
            bool notBelowRight = k == _amplitude.Length - 1 || _amplitude[k] >= _amplitude[k + 1];
            if (aboveLeft && notBelowRight) peaks.Add(k);
        }
        return peaks.OrderByDescending(k => _amplitude[k]).Take(count).Select(Peak).ToList();
    }

    /// <summary>The bin of highest amplitude from <paramref name="low"/> to <paramref name="high"/> Hz, both included.</summary>
    /// <param name="low">The lower edge in Hz, at least 0.</param>
    /// <param name="high">The upper edge in Hz, at least <paramref name="low"/>; the band must hold a bin.</param>
    /// <example><code>SpectralPeak alias = Spectrum.Of(y, 8000, hann: true).PeakIn(1900, 2100);</code></example>
    public SpectralPeak PeakIn(double low, double high)
    {
        CheckBand(low, high);
        int best = -1;
        for (int k = 0; k < _amplitude.Length; k++)
        {
            if (_frequencies[k] < low || _frequencies[k] > high) continue;
            if (best < 0 || _amplitude[k] > _amplitude[best]) best = k;
        }
        if (best < 0)
        {
            throw new ArgumentException(
                $"The band {AudioGuard.Text(low)} to {AudioGuard.Text(high)} Hz holds no bin; bins are {AudioGuard.Text(Resolution)} Hz apart, from 0 to {AudioGuard.Text(_frequencies[^1])} Hz.",
                nameof(high));
        }
        return Peak(best);
    }

    /// <summary>
    /// Splits a signal into the part at or below <paramref name="frequency"/> and the part above it, by zeroing
    /// FFT bins; the two parts add up to the signal. Since convolution is linear, running each part through a
    /// layer tells apart what the layer does to each band.
    /// </summary>
    /// <param name="samples">The signal, at least one finite sample.</param>
    /// <param name="sampleRate">Samples per second, at least 1.</param>
    /// <param name="frequency">The split in Hz, from 0 to the Nyquist frequency.</param>
    /// <example><code>var (below, above) = Spectrum.Split(x, 16000, 4000);</code></example>
    public static (float[] Below, float[] Above) Split(float[] samples, int sampleRate, double frequency)
    {
        AudioGuard.Samples(samples);
        AudioGuard.SampleRate(sampleRate);
        AudioGuard.Frequency(frequency, sampleRate, nameof(frequency));
        int n = samples.Length;
        Complex[] spectrum = Transform(samples, window: null);
        for (int k = 0; k < n; k++)
        {
            // Bin k stands for the frequency k · rate / n, and bin n − k for its negative.
            double f = (double)Math.Min(k, n - k) * sampleRate / n;
            if (f > frequency) spectrum[k] = Complex.Zero;
        }
        Fourier.Inverse(spectrum, FourierOptions.Matlab);
        var below = new float[n];
        var above = new float[n];
        for (int i = 0; i < n; i++)
        {
            below[i] = (float)spectrum[i].Real;
            above[i] = samples[i] - below[i];
        }
        return (below, above);
    }

    private static Complex[] Transform(float[] samples, double[]? window)
    {
        var data = new Complex[samples.Length];
        for (int i = 0; i < samples.Length; i++) data[i] = new Complex(samples[i] * (window?[i] ?? 1.0), 0);
        // No scaling forward, 1/n back: the textbook DFT X[k] = Σ x[t] e^(−2πi kt/n), as numpy.fft.fft.
        Fourier.Forward(data, FourierOptions.Matlab);
        return data;
    }

    private SpectralPeak Peak(int k) => new(_frequencies[k], _amplitude[k], ToDecibels(_amplitude[k]));

    private static double ToDecibels(double amplitude) => 20 * Math.Log10(Math.Max(amplitude, FloorAmplitude));

    private static void CheckBand(double low, double high)
    {
        AudioGuard.Finite(low, nameof(low), "lower edge of the band");
        AudioGuard.Finite(high, nameof(high), "upper edge of the band");
        if (low < 0) throw new ArgumentOutOfRangeException(nameof(low), low, $"The lower edge of the band must not be negative, but low is {AudioGuard.Text(low)} Hz.");
        if (high < low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high,
                $"The upper edge of the band must be at least the lower edge {AudioGuard.Text(low)} Hz, but high is {AudioGuard.Text(high)} Hz.");
        }
    }
}
