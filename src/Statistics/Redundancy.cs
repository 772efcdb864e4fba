using MathNet.Numerics.Statistics;

namespace Conv.Notebook;

/// <summary>
/// How much neighbouring samples repeat each other: the correlation of a signal with itself a few samples later
/// (MathNet's <c>Correlation.Pearson</c>), and how well the samples that a stride of 2 drops can be guessed from the
/// ones it keeps. Tensors are read as rows along their last dimension (a (C, L) signal has C rows, a (C, H, W)
/// feature map C · H rows along its width), and each result is the mean over the rows.
/// </summary>
/// <example>
/// <code>
/// Tensor y = Convolution.Conv1d(signal, kernels, padding: 2);
/// double r1 = Redundancy.Correlation(y, lag: 1);   // near 1: neighbours repeat each other
/// </code>
/// </example>
public static class Redundancy
{
    /// <summary>The Pearson correlation of x[i] with x[i + lag] over all i: 1 at lag 0, near 0 for independent samples.</summary>
    /// <param name="signal">The samples, at least lag + 2 of them, not all equal.</param>
    /// <param name="lag">The distance between the paired samples, from 0 to the length minus 2.</param>
    /// <example><code>Redundancy.Correlation([1.0, 2, 3, 4, 5], lag: 1) // 1: a ramp predicts itself</code></example>
    public static double Correlation(IReadOnlyList<double> signal, int lag)
    {
        ArgumentNullException.ThrowIfNull(signal);
        CheckLag(lag, signal.Count);
        double r = Pearson(signal, 0, signal.Count, lag);
        if (double.IsNaN(r)) throw new ArgumentException($"The correlation is undefined because signal is constant over the pairs at lag {lag}.", nameof(signal));
        return r;
    }

    /// <summary>The mean over the rows of <paramref name="signals"/> of each row's correlation with itself <paramref name="lag"/> samples later.</summary>
    /// <param name="signals">A tensor whose last dimension holds the samples, at least lag + 2 of them; no row may be constant.</param>
    /// <param name="lag">The distance between the paired samples, from 0 to the last size minus 2.</param>
    /// <example><code>Redundancy.Correlation(Convolution.Conv2d(image, w, padding: (1, 1)), lag: 1)</code></example>
    public static double Correlation(Tensor signals, int lag)
    {
        ArgumentNullException.ThrowIfNull(signals);
        Guard.NotEmptyAlong(signals, signals.Rank, nameof(signals), "Correlation");
        double[] x = signals.ToArray().Select(v => (double)v).ToArray();
        int n = signals.Size(-1), rows = x.Length / n;
        CheckLag(lag, n);
        double sum = 0;
        for (int row = 0; row < rows; row++)
        {
            double r = Pearson(x, row * n, n, lag);
            if (double.IsNaN(r)) throw new ArgumentException($"The correlation is undefined because row {row} of signals is constant over the pairs at lag {lag}.", nameof(signals));
            sum += r;
        }
        return sum / rows;
    }

    /// <summary>The correlation at every lag from 0 to <paramref name="maxLag"/>, as <see cref="Correlation(Tensor, int)"/>.</summary>
    /// <param name="signals">A tensor whose last dimension holds the samples, at least maxLag + 2 of them.</param>
    /// <param name="maxLag">The largest lag, from 0 to the last size minus 2.</param>
    /// <example><code>double[] r = Redundancy.Correlogram(y, maxLag: 16);</code></example>
    public static double[] Correlogram(Tensor signals, int maxLag)
    {
        ArgumentNullException.ThrowIfNull(signals);
        CheckLag(maxLag, signals.Size(-1), nameof(maxLag));
        return Enumerable.Range(0, maxLag + 1).Select(lag => Correlation(signals, lag)).ToArray();
    }

    /// <summary>
    /// How badly the samples that a stride of 2 drops are guessed from the ones it keeps: each odd sample x[i] is
    /// predicted by the mean of its kept neighbours (x[i − 1] + x[i + 1]) / 2, and the result is the root-mean-square
    /// error relative to the standard deviation of the samples, pooled over the rows. 0 means the dropped samples
    /// carried nothing new; about 1.2 (√1.5) for independent samples, whose guess is pure noise.
    /// </summary>
    /// <param name="signals">A tensor whose last dimension holds at least 3 samples; not every row constant.</param>
    /// <example><code>Redundancy.MidpointError(Convolution.Conv1d(pink, kernels, padding: 2))</code></example>
    public static double MidpointError(Tensor signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        Guard.NotEmptyAlong(signals, signals.Rank, nameof(signals), "MidpointError");
        int n = signals.Size(-1);
        if (n < 3) throw new ArgumentException($"Guessing dropped samples needs at least 3 samples per row, but signals has shape {Tensor.ShapeText(signals.Shape)}.", nameof(signals));
        float[] x = signals.ToArray();
        int rows = x.Length / n;
        double error = 0, variance = 0;
        long count = 0;
        for (int row = 0; row < rows; row++)
        {
            int start = row * n;
            double mean = 0;
            for (int i = 0; i < n; i++) mean += x[start + i];
            mean /= n;
            for (int i = 1; i + 1 < n; i += 2)
            {
                double guess = (x[start + i - 1] + x[start + i + 1]) / 2.0;
                error += (x[start + i] - guess) * (x[start + i] - guess);
                variance += (x[start + i] - mean) * (x[start + i] - mean);
                count++;
            }
        }
        if (variance == 0) throw new ArgumentException("The relative error is undefined because every row of signals is constant.", nameof(signals));
        return Math.Sqrt(error / variance);
    }

    private static double Pearson(IReadOnlyList<double> x, int start, int length, int lag)
    {
        IEnumerable<double> early = Enumerable.Range(start, length - lag).Select(i => x[i]);
        IEnumerable<double> late = Enumerable.Range(start + lag, length - lag).Select(i => x[i]);
        return Correlation(early, late);
    }

    private static double Correlation(IEnumerable<double> a, IEnumerable<double> b) =>
        MathNet.Numerics.Statistics.Correlation.Pearson(a, b);

    private static void CheckLag(int lag, int length, string paramName = "lag")
    {
        if (lag < 0 || lag > length - 2)
        {
            throw new ArgumentOutOfRangeException(paramName, lag,
                $"The lag must be from 0 to the number of samples minus 2 ({length - 2}), so that at least 2 pairs remain, but {paramName} is {lag}.");
        }
    }
}
