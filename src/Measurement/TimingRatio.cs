using MathNet.Numerics.Statistics;

namespace Conv.Notebook;

/// <summary>
/// How many times longer one timing is than another, round by round: the samples of
/// <see cref="Timing.Interleaved"/>'s round r were taken one right after the other, so whatever slowed the machine in that
/// round slowed both, and their ratio is fairer than a ratio of two medians taken apart. The median of the rounds' ratios
/// is the estimate, their quartiles the spread.
/// </summary>
/// <example>
/// <code>
/// TimingSamples[] t = Timing.Interleaved([() => Layer(1), () => Layer(2)]);
/// TimingRatio speedUp = TimingRatio.Of(t[0], t[1]);   // stride 1's time ÷ stride 2's
/// Claim.AtLeast(speedUp, 3, "stride 1's time ÷ stride 2's");
/// </code>
/// </example>
public sealed class TimingRatio
{
    private readonly double[] _rounds;

    private TimingRatio(double[] rounds)
    {
        _rounds = rounds;
        Median = Statistics.Median(rounds);
        LowerQuartile = Statistics.LowerQuartile(rounds);
        UpperQuartile = Statistics.UpperQuartile(rounds);
    }

    /// <summary>The ratios <paramref name="numerator"/> ÷ <paramref name="denominator"/>, round by round.</summary>
    /// <param name="numerator">The timing divided, such as the slower one.</param>
    /// <param name="denominator">The timing it is divided by, taken in the same rounds (the same number of samples).</param>
    /// <exception cref="ArgumentException">The timings have different numbers of samples, so they were not taken in the same rounds.</exception>
    /// <example><code>double speedUp = TimingRatio.Of(times[0], times[3]).Median;</code></example>
    public static TimingRatio Of(TimingSamples numerator, TimingSamples denominator)
    {
        ArgumentNullException.ThrowIfNull(numerator);
        ArgumentNullException.ThrowIfNull(denominator);
        if (numerator.Count != denominator.Count)
        {
            throw new ArgumentException(
                $"Both timings must come from the same rounds of Timing.Interleaved, with one sample each per round, but numerator has {numerator.Count} samples and denominator {denominator.Count}.",
                nameof(denominator));
        }
        var rounds = new double[numerator.Count];
        for (int r = 0; r < rounds.Length; r++)
        {
            double below = denominator.Milliseconds[r];
            rounds[r] = below > 0 ? numerator.Milliseconds[r] / below : double.PositiveInfinity;
        }
        return new TimingRatio(rounds);
    }

    /// <summary>The ratio of each round, in the order of the rounds.</summary>
    public IReadOnlyList<double> Rounds => _rounds;

    /// <summary>The median of the rounds' ratios: the estimate.</summary>
    public double Median { get; }

    /// <summary>The first quartile of the rounds' ratios.</summary>
    public double LowerQuartile { get; }

    /// <summary>The third quartile of the rounds' ratios.</summary>
    public double UpperQuartile { get; }

    /// <summary>The median with the quartiles, for example "3.71 (the middle half of the rounds 3.52 to 3.9)".</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{Median:0.##} (the middle half of the rounds {LowerQuartile:0.##} to {UpperQuartile:0.##})");
}
