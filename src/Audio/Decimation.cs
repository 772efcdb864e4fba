using System.Numerics;

namespace Conv.Notebook;

/// <summary>The gain of a filter kernel at each frequency: |H(f)| = |Σₖ h[k] e^(−2πi f k / sampleRate)|.</summary>
/// <param name="SampleRate">The sample rate the kernel runs at, in Hz.</param>
/// <param name="Frequencies">The frequencies, from 0 to the Nyquist frequency, in Hz.</param>
/// <param name="Gain">|H(f)| at each frequency: 1 passes a sine unchanged, 0 removes it.</param>
/// <example><code>double[] db = Decimation.Response(Decimation.LowPassKernel(3600, 101, 16000), 16000).Decibels;</code></example>
public sealed record FrequencyResponse(int SampleRate, double[] Frequencies, double[] Gain)
{
    /// <summary>20 · log10 of each gain; gains below 10⁻¹⁰ read −200 dB.</summary>
    public double[] Decibels => Gain.Select(g => 20 * Math.Log10(Math.Max(g, 1e-10))).ToArray();
}

/// <summary>
/// What a strided 1-D convolution does to the two bands of a signal, split at the output's Nyquist frequency
/// (sampleRate / (2 · stride)): the part below should come through, the part above has nowhere to go in the
/// output and folds back onto lower frequencies (aliasing). Powers are mean squares per sample.
/// </summary>
/// <param name="SampleRate">The input's sample rate in Hz.</param>
/// <param name="Stride">The stride.</param>
/// <param name="BelowPower">The input power at or below the output's Nyquist frequency.</param>
/// <param name="AbovePower">The input power above it.</param>
/// <param name="KeptPower">The output power that comes from the part below.</param>
/// <param name="AliasPower">The output power that comes from the part above: aliasing.</param>
/// <example><code>AliasingMeasurement m = Decimation.MeasureAliasing(x, 16000, kernel, stride: 2); // m.AliasDb, m.KeptDb</code></example>
public sealed record AliasingMeasurement(int SampleRate, int Stride, double BelowPower, double AbovePower, double KeptPower, double AliasPower)
{
    /// <summary>The output's sample rate: sampleRate / stride.</summary>
    public double OutputRate => (double)SampleRate / Stride;

    /// <summary>The output's Nyquist frequency, where the input was split.</summary>
    public double OutputNyquist => OutputRate / 2;

    /// <summary>10 · log10(AliasPower / AbovePower): how much of the power above the new Nyquist frequency lands in the output; 0 dB is all of it.</summary>
    public double AliasDb => Db(AliasPower, AbovePower);

    /// <summary>10 · log10(KeptPower / BelowPower): how much of the power below the new Nyquist frequency comes through; 0 dB is all of it.</summary>
    public double KeptDb => Db(KeptPower, BelowPower);

    /// <summary>10 · log10(KeptPower / AliasPower): the wanted output over the aliasing in it.</summary>
    public double SignalToAliasDb => Db(KeptPower, AliasPower);

    private static double Db(double power, double reference) => 10 * Math.Log10(Math.Max(power, 1e-30) / Math.Max(reference, 1e-30));
}

/// <summary>
/// Strided 1-D convolution as a sample-rate change. A stride of s keeps every s-th output of the convolution,
/// so the output runs at sampleRate / s; what the input holds above the new Nyquist frequency aliases unless the
/// kernel is a low-pass filter that removes it first, as in a decimator.
/// </summary>
/// <example>
/// <code>
/// Tensor lowPass = Decimation.LowPassKernel(cutoff: 3600, taps: 101, sampleRate: 16000);
/// float[] y = Decimation.Stride(x, lowPass, stride: 2);                       // 8 kHz, alias-free
/// AliasingMeasurement m = Decimation.MeasureAliasing(x, 16000, lowPass, stride: 2);  // m.AliasDb: aliasing in dB
/// </code>
/// </example>
public static class Decimation
{
    /// <summary>
    /// A low-pass FIR kernel: the ideal filter's impulse response sin(2π f_c t) / (π t) cut to <paramref name="taps"/>
    /// samples and tapered by a Blackman window (MathNet's, as numpy.blackman), then scaled so that its taps add up
    /// to 1 (gain 1 at 0 Hz). Shape (1, 1, taps), ready for <see cref="Convolution.Conv1d"/>.
    /// </summary>
    /// <remarks>
    /// The gain is 0.5 (−6 dB) at the cutoff, in the middle of a transition band about 5.5 · sampleRate / taps Hz
    /// wide: it leaves the pass band about 2.75 · sampleRate / taps Hz below the cutoff and stays below −70 dB from
    /// about 2.7 · sampleRate / taps Hz above it (for 101 taps at 16 kHz: −60 dB 400 Hz above the cutoff, below
    /// −70 dB from 430 Hz above). For a decimator the cutoff therefore goes about half that width below the new
    /// Nyquist frequency, so that the stop band starts near it.
    /// </remarks>
    /// <param name="cutoff">The cutoff in Hz, above 0 and below the Nyquist frequency sampleRate / 2.</param>
    /// <param name="taps">The kernel length, odd (so that the kernel has a centre tap) and at least 3.</param>
    /// <param name="sampleRate">The sample rate the kernel runs at, in Hz.</param>
    /// <example><code>Tensor h = Decimation.LowPassKernel(cutoff: 3600, taps: 101, sampleRate: 16000);</code></example>
    public static Tensor LowPassKernel(double cutoff, int taps, int sampleRate)
    {
        AudioGuard.SampleRate(sampleRate);
        AudioGuard.Finite(cutoff, nameof(cutoff), "cutoff");
        if (cutoff <= 0 || cutoff >= sampleRate / 2.0)
        {
            throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff,
                $"The cutoff must be above 0 and below the Nyquist frequency {AudioGuard.Text(sampleRate / 2.0)} Hz, but cutoff is {AudioGuard.Text(cutoff)} Hz.");
        }
        if (taps < 3 || taps % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(taps), taps, $"The number of taps must be odd and at least 3, so that the kernel has a centre, but taps is {taps}.");
        }
        double[] window = MathNet.Numerics.Window.Blackman(taps);
        double fc = cutoff / sampleRate;
        int centre = taps / 2;
        var h = new double[taps];
        for (int k = 0; k < taps; k++)
        {
            int m = k - centre;
            double ideal = m == 0 ? 2 * fc : Math.Sin(2 * Math.PI * fc * m) / (Math.PI * m);
            h[k] = ideal * window[k];
        }
        double sum = h.Sum();
        return new Tensor([1, 1, taps], h.Select(v => (float)(v / sum)).ToArray());
    }

    /// <summary>The gain of a 1-D kernel at <paramref name="points"/> frequencies evenly spaced from 0 to the Nyquist frequency.</summary>
    /// <param name="kernel">A kernel of shape (K), (1, K) or (1, 1, K).</param>
    /// <param name="sampleRate">The sample rate the kernel runs at, in Hz.</param>
    /// <param name="points">How many frequencies, at least 2.</param>
    /// <example><code>FrequencyResponse r = Decimation.Response(Decimation.LowPassKernel(3600, 101, 16000), 16000);</code></example>
    public static FrequencyResponse Response(Tensor kernel, int sampleRate, int points = 801)
    {
        float[] h = Taps(kernel, nameof(kernel));
        AudioGuard.SampleRate(sampleRate);
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, $"A response needs at least 2 points, but points is {points}.");
        var frequencies = new double[points];
        var gain = new double[points];
        for (int i = 0; i < points; i++)
        {
            double f = sampleRate / 2.0 * i / (points - 1);
            Complex sum = Complex.Zero;
            for (int k = 0; k < h.Length; k++) sum += h[k] * Complex.FromPolarCoordinates(1, -2 * Math.PI * f * k / sampleRate);
            frequencies[i] = f;
            gain[i] = sum.Magnitude;
        }
        return new FrequencyResponse(sampleRate, frequencies, gain);
    }

    /// <summary>
    /// <c>Conv1d(x, kernel, stride, padding: (K − 1) / 2)</c> on a plain signal: output m is centred on input
    /// sample m · stride for an odd kernel length K, so the output is the input's timeline at 1 / stride the rate.
    /// </summary>
    /// <param name="samples">The signal, at least one finite sample.</param>
    /// <param name="kernel">A kernel of shape (K), (1, K) or (1, 1, K).</param>
    /// <param name="stride">The stride, at least 1.</param>
    /// <example><code>float[] naive = Decimation.Stride(x, new Tensor([1, 1, 1], [1f]), stride: 2); // x[::2]</code></example>
    public static float[] Stride(float[] samples, Tensor kernel, int stride)
    {
        AudioGuard.Samples(samples);
        float[] h = Taps(kernel, nameof(kernel));
        Guard.AtLeastOne(stride, nameof(stride), "stride");
        Tensor weight = new([1, 1, h.Length], h);
        return Convolution.Conv1d(Signals.ToTensor(samples), weight, stride: stride, padding: (h.Length - 1) / 2).ToArray();
    }

    /// <summary>
    /// Splits the signal at the output's Nyquist frequency sampleRate / (2 · stride) with <see cref="Spectrum.Split"/>,
    /// runs each part through <see cref="Stride"/>, and measures the power of each part before and after. Since the
    /// convolution is linear, the output is exactly the sum of the two parts' outputs, so the power that comes from
    /// the part above is the aliasing.
    /// </summary>
    /// <remarks>
    /// At the two ends of the signal the zero padding cuts it off abruptly, and a cut has energy at every frequency,
    /// so some of the measured aliasing comes from the ends rather than from the kernel. <paramref name="edge"/>
    /// leaves that many outputs at each end out of the output powers, and the input samples they are centred on out
    /// of the input powers, to measure the kernel alone.
    /// </remarks>
    /// <param name="samples">The signal, at least one finite sample.</param>
    /// <param name="sampleRate">Samples per second, at least 1.</param>
    /// <param name="kernel">A kernel of shape (K), (1, K) or (1, 1, K).</param>
    /// <param name="stride">The stride, at least 1.</param>
    /// <param name="edge">Outputs left out at each end, at least 0; fewer than half the outputs.</param>
    /// <example><code>Decimation.MeasureAliasing(x, 16000, new Tensor([1, 1, 1], [1f]), 2).AliasDb // ≈ 0 dB: all of it aliases</code></example>
    public static AliasingMeasurement MeasureAliasing(float[] samples, int sampleRate, Tensor kernel, int stride = 2, int edge = 0)
    {
        AudioGuard.Samples(samples);
        AudioGuard.SampleRate(sampleRate);
        float[] h = Taps(kernel, nameof(kernel));
        Guard.AtLeastOne(stride, nameof(stride), "stride");
        Guard.NotNegative(edge, nameof(edge), "number of outputs left out at each end");
        int outputs = ConvShape.Output(samples.Length, h.Length, (h.Length - 1) / 2, stride);
        if (2 * (long)edge >= outputs)
        {
            throw new ArgumentOutOfRangeException(nameof(edge), edge,
                $"Leaving out {edge} outputs at each end must leave some of the {outputs} outputs, but edge is {edge}.");
        }
        var (below, above) = Spectrum.Split(samples, sampleRate, sampleRate / (2.0 * stride));
        // The input samples that the kept outputs are centred on; all of them when nothing is left out.
        int first = edge * stride, end = edge == 0 ? samples.Length : (outputs - edge - 1) * stride + 1;
        float[] Inner(float[] input) => input[first..end];
        float[] Middle(float[] output) => output[edge..(output.Length - edge)];
        return new AliasingMeasurement(sampleRate, stride,
            Signals.MeanSquare(Inner(below)), Signals.MeanSquare(Inner(above)),
            Signals.MeanSquare(Middle(Stride(below, kernel, stride))), Signals.MeanSquare(Middle(Stride(above, kernel, stride))));
    }

    private static float[] Taps(Tensor kernel, string paramName)
    {
        ArgumentNullException.ThrowIfNull(kernel, paramName);
        Guard.NotEmptyAlong(kernel, kernel.Rank, paramName, "A 1-D kernel");
        int[] shape = kernel.Shape;
        for (int d = 0; d < shape.Length - 1; d++)
        {
            if (shape[d] != 1)
            {
                throw new ArgumentException(
                    $"A 1-D kernel must have size 1 in every dimension before the last, such as (K) or (1, 1, K), but {paramName} has shape {Tensor.ShapeText(shape)}.",
                    paramName);
            }
        }
        float[] taps = kernel.ToArray();
        for (int k = 0; k < taps.Length; k++)
        {
            if (!float.IsFinite(taps[k])) throw new ArgumentException($"Every tap must be a finite number, but tap {k} of {paramName} is {taps[k]}.", paramName);
        }
        return taps;
    }
}
