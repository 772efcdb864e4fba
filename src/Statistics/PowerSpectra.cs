using System.Numerics;
using MathNet.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace Conv.Notebook;

/// <summary>
/// The power spectrum of a signal or an image (MathNet's FFT), and the slope of its power law: the exponent β of
/// power ∝ 1/f^β, read off a straight-line fit (MathNet's <c>Fit.Line</c>) of log power against log frequency.
/// </summary>
/// <example>
/// <code>
/// double slope = PowerSpectra.LogLogSlope(NaturalSignals.Pink(4096, seed: 0));   // about −1
/// </code>
/// </example>
public static class PowerSpectra
{
    /// <summary>
    /// The periodogram: the power |X_k|² / n at frequencies k / n cycles per sample, for k = 1 … ⌊n / 2⌋ (the mean,
    /// k = 0, is left out).
    /// </summary>
    /// <param name="signal">At least 4 samples, all finite.</param>
    /// <example><code>var (f, p) = PowerSpectra.Periodogram(NaturalSignals.Pink(1024, seed: 0));</code></example>
    public static (double[] Frequency, double[] Power) Periodogram(IReadOnlyList<double> signal)
    {
        Complex[] x = Checked(signal, nameof(signal));
        int n = x.Length;
        Fourier.Forward(x, FourierOptions.Matlab);
        int count = n / 2;
        var frequency = new double[count];
        var power = new double[count];
        for (int k = 1; k <= count; k++)
        {
            frequency[k - 1] = (double)k / n;
            power[k - 1] = x[k].Magnitude * x[k].Magnitude / n;
        }
        return (frequency, power);
    }

    /// <summary>The slope of log power against log frequency over the periodogram: −β for power ∝ 1/f^β.</summary>
    /// <param name="signal">At least 4 samples, all finite, not all equal.</param>
    /// <example><code>PowerSpectra.LogLogSlope(NaturalSignals.White(4096, seed: 0)) // about 0</code></example>
    public static double LogLogSlope(IReadOnlyList<double> signal) => Line(signal, nameof(signal)).Slope;

    /// <summary>
    /// The straight line fitted to log power against log frequency over the periodogram,
    /// ln P ≈ Intercept + Slope · ln f, so that the fitted power is e^Intercept · f^Slope: the line to draw over a
    /// periodogram on log-log axes.
    /// </summary>
    /// <param name="signal">At least 4 samples, all finite, not all equal.</param>
    /// <example>
    /// <code>
    /// var (a, b) = PowerSpectra.LogLogFit(pink);
    /// double[] fitted = frequency.Select(f => Math.Exp(a + b * Math.Log(f))).ToArray();
    /// </code>
    /// </example>
    public static (double Intercept, double Slope) LogLogFit(IReadOnlyList<double> signal) => Line(signal, nameof(signal));

    private static (double Intercept, double Slope) Line(IReadOnlyList<double> signal, string paramName)
    {
        var (frequency, power) = Periodogram(signal);
        return Fitted(frequency, power, paramName);
    }

    /// <summary>
    /// The slope of log power against log radial frequency |f| = √(f_y² + f_x²) over all frequencies of an image up to
    /// half a cycle per pixel: about −2 for natural images.
    /// </summary>
    /// <param name="image">A tensor whose dimensions before the last two are all 1, at least 4 × 4.</param>
    /// <example><code>PowerSpectra.LogLogSlope(NaturalSignals.NaturalImage(64, seed: 0)) // about −2</code></example>
    public static double LogLogSlope(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int[] shape = image.Shape;
        if (shape.Length < 2 || shape[..^2].Any(d => d != 1) || shape[^2] < 4 || shape[^1] < 4)
        {
            throw new ArgumentException($"The image must be at least 4 × 4, with size 1 in every dimension before the last two, but image has shape {Tensor.ShapeText(shape)}.", nameof(image));
        }
        int h = shape[^2], w = shape[^1];
        Complex[] x = image.ToArray().Select(v => new Complex(v, 0)).ToArray();
        Fourier2D.Transform(x, h, w, inverse: false);
        var frequency = new List<double>();
        var power = new List<double>();
        for (int r = 0; r < h; r++)
        {
            double fy = (double)Math.Min(r, h - r) / h;
            for (int c = 0; c < w; c++)
            {
                double fx = (double)Math.Min(c, w - c) / w;
                double f = Math.Sqrt(fy * fy + fx * fx);
                if (f == 0 || f > 0.5) continue;
                frequency.Add(f);
                power.Add(x[r * w + c].Magnitude * x[r * w + c].Magnitude / (h * w));
            }
        }
        return Fitted(frequency.ToArray(), power.ToArray(), nameof(image)).Slope;
    }

    private static (double Intercept, double Slope) Fitted(double[] frequency, double[] power, string paramName)
    {
        if (power.Any(p => p <= 0))
        {
            throw new ArgumentException("The spectrum has a frequency with no power, so its logarithm is undefined; the input must not be constant or purely periodic.", paramName);
        }
        return Fit.Line(frequency.Select(f => Math.Log(f)).ToArray(), power.Select(p => Math.Log(p)).ToArray());
    }

    private static Complex[] Checked(IReadOnlyList<double> signal, string paramName)
    {
        ArgumentNullException.ThrowIfNull(signal, paramName);
        if (signal.Count < 4) throw new ArgumentException($"A spectrum needs at least 4 samples, but {paramName} has {signal.Count}.", paramName);
        var x = new Complex[signal.Count];
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(signal[i])) throw new ArgumentException($"Every sample must be finite, but {paramName}[{i}] is {signal[i]}.", paramName);
            x[i] = new Complex(signal[i], 0);
        }
        return x;
    }
}
