using System.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.IntegralTransforms;
using MathNet.Numerics.Random;

namespace Conv.Notebook;

/// <summary>
/// Random signals and images with the statistics of natural ones: their power falls with frequency as a power law,
/// so neighbouring samples are alike, as they are in sound and in photographs (natural images have a power spectrum
/// close to 1/|f|², van der Schaaf and van Hateren 1996). Each is white Gaussian noise whose Fourier transform
/// (MathNet's FFT) is reshaped by the power law and transformed back; the result has mean 0 and standard deviation 1,
/// and is periodic, so that circular shifts and circular padding see no seam.
/// </summary>
/// <example>
/// <code>
/// double[] pink = NaturalSignals.Pink(4096, seed: 0);          // power ∝ 1/f
/// Tensor image = NaturalSignals.NaturalImage(64, seed: 0);    // (1, 1, 64, 64), power ∝ 1/|f|²
/// </code>
/// </example>
public static class NaturalSignals
{
    /// <summary>"Pink" or 1/f noise: the power at frequency f is proportional to 1/f.</summary>
    /// <param name="length">The number of samples, at least 8.</param>
    /// <param name="seed">The seed of the white noise.</param>
    /// <example><code>double[] x = NaturalSignals.Pink(4096, seed: 1);</code></example>
    public static double[] Pink(int length, int seed) => PowerLaw(length, 1, seed);

    /// <summary>White noise: every frequency has the same power, and neighbouring samples are independent.</summary>
    /// <param name="length">The number of samples, at least 8.</param>
    /// <param name="seed">The seed of the noise.</param>
    /// <example><code>double[] x = NaturalSignals.White(4096, seed: 1);</code></example>
    public static double[] White(int length, int seed) => PowerLaw(length, 0, seed);

    /// <summary>Noise whose power at frequency f is proportional to 1/f^<paramref name="exponent"/>: 0 white, 1 pink, 2 brown.</summary>
    /// <param name="length">The number of samples, at least 8.</param>
    /// <param name="exponent">The power law's exponent, from 0 to 4.</param>
    /// <param name="seed">The seed of the white noise.</param>
    /// <returns>The samples, with mean 0 and standard deviation 1.</returns>
    /// <example><code>double[] brown = NaturalSignals.PowerLaw(4096, exponent: 2, seed: 0);</code></example>
    public static double[] PowerLaw(int length, double exponent, int seed)
    {
        CheckSize(length, nameof(length), "length");
        CheckExponent(exponent);
        Complex[] spectrum = Noise(length, seed);
        Fourier.Forward(spectrum, FourierOptions.Matlab);
        for (int k = 0; k < length; k++)
        {
            // Bins k and n − k are the same frequency; scaling both alike keeps the inverse real.
            int f = Math.Min(k, length - k);
            spectrum[k] = f == 0 ? Complex.Zero : spectrum[k] * Math.Pow(f, -exponent / 2);
        }
        Fourier.Inverse(spectrum, FourierOptions.Matlab);
        return Standardized(spectrum);
    }

    /// <summary>
    /// A natural-looking random image: its power at spatial frequency (f_y, f_x) is proportional to
    /// 1/(f_y² + f_x²), as in photographs of natural scenes, so it shows blobs and edges at every scale.
    /// </summary>
    /// <param name="size">The height and width, at least 8.</param>
    /// <param name="seed">The seed of the white noise.</param>
    /// <returns>Shape (1, 1, size, size), ready for <see cref="Convolution.Conv2d"/>; mean 0, standard deviation 1.</returns>
    /// <example><code>Charts.Heatmap(NaturalSignals.NaturalImage(64, seed: 3), "a natural-looking image")</code></example>
    public static Tensor NaturalImage(int size, int seed)
    {
        CheckSize(size, nameof(size), "size");
        Complex[] spectrum = Noise(size * size, seed);
        Fourier2D.Transform(spectrum, size, size, inverse: false);
        for (int r = 0; r < size; r++)
        {
            int fy = Math.Min(r, size - r);
            for (int c = 0; c < size; c++)
            {
                int fx = Math.Min(c, size - c);
                double f2 = (double)fy * fy + (double)fx * fx;
                int i = r * size + c;
                spectrum[i] = f2 == 0 ? Complex.Zero : spectrum[i] / Math.Sqrt(f2);
            }
        }
        Fourier2D.Transform(spectrum, size, size, inverse: true);
        double[] pixels = Standardized(spectrum);
        return new Tensor([1, 1, size, size], pixels.Select(v => (float)v).ToArray());
    }

    private static Complex[] Noise(int count, int seed)
    {
        var source = new MersenneTwister(seed);
        var noise = new Complex[count];
        for (int i = 0; i < count; i++) noise[i] = new Complex(Normal.Sample(source, 0, 1), 0);
        return noise;
    }

    private static double[] Standardized(Complex[] values)
    {
        double[] x = values.Select(v => v.Real).ToArray();
        double mean = x.Average();
        double sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
        return x.Select(v => (v - mean) / sd).ToArray();
    }

    private static void CheckSize(int size, string paramName, string what)
    {
        if (size < 8)
        {
            throw new ArgumentOutOfRangeException(paramName, size, $"The {what} must be at least 8 to hold a range of frequencies, but {paramName} is {size}.");
        }
    }

    private static void CheckExponent(double exponent)
    {
        if (!(exponent >= 0 && exponent <= 4))
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, $"The power-law exponent must be from 0 to 4, but exponent is {exponent}.");
        }
    }
}
