using MathNet.Numerics.Statistics;

namespace Conv.Notebook;

/// <summary>
/// The samples of one timing, in milliseconds, with the order statistics that describe them robustly: the median
/// and the quartiles (MathNet's R-8 estimate, as <c>numpy.quantile(method="median_unbiased")</c>) show the typical run
/// and the spread without being pulled away by the occasional slow one, as a mean would be; and the fastest sample is
/// the best estimate of the work itself, since other processes can only ever add time to a run.
/// </summary>
/// <example>
/// <code>
/// var t = new TimingSamples([4.1, 4.0, 4.3, 9.8, 4.2]);
/// double typical = t.Median;                            // 4.2: the slow outlier does not move it
/// double spread = t.UpperQuartile - t.LowerQuartile;
/// double best = t.Min;                                  // 4.0
/// </code>
/// </example>
public sealed class TimingSamples
{
    private readonly double[] _milliseconds;

    /// <summary>Wraps measured samples; the array is copied.</summary>
    /// <param name="milliseconds">At least one sample, each finite and not negative.</param>
    /// <param name="callsPerSample">How many calls each sample timed together, at least 1.</param>
    /// <param name="settled">Whether the warm-up before the samples settled (see <see cref="Timing.Interleaved"/>).</param>
    /// <example><code>var t = new TimingSamples([1.0, 1.2, 1.1]);</code></example>
    public TimingSamples(double[] milliseconds, int callsPerSample = 1, bool settled = true)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Length == 0) throw new ArgumentException("A timing needs at least one sample, but milliseconds is empty.", nameof(milliseconds));
        for (int i = 0; i < milliseconds.Length; i++)
        {
            if (!double.IsFinite(milliseconds[i]) || milliseconds[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds[i],
                    $"Every sample must be a finite time of at least 0 ms, but milliseconds[{i}] is {milliseconds[i]}.");
            }
        }
        Guard.AtLeastOne(callsPerSample, nameof(callsPerSample), "number of calls per sample");
        _milliseconds = (double[])milliseconds.Clone();
        CallsPerSample = callsPerSample;
        Settled = settled;
        Median = Statistics.Median(_milliseconds);
        LowerQuartile = Statistics.LowerQuartile(_milliseconds);
        UpperQuartile = Statistics.UpperQuartile(_milliseconds);
    }

    /// <summary>The samples in the order they were taken, in milliseconds per call.</summary>
    public IReadOnlyList<double> Milliseconds => _milliseconds;

    /// <summary>The number of samples.</summary>
    public int Count => _milliseconds.Length;

    /// <summary>The median sample.</summary>
    public double Median { get; }

    /// <summary>The first quartile: a quarter of the samples lie below it.</summary>
    public double LowerQuartile { get; }

    /// <summary>The third quartile: a quarter of the samples lie above it.</summary>
    public double UpperQuartile { get; }

    /// <summary>The fastest sample: the run that other processes disturbed least.</summary>
    public double Min => _milliseconds.Min();

    /// <summary>The slowest sample.</summary>
    public double Max => _milliseconds.Max();

    /// <summary>The spread of the samples relative to their median: the interquartile range divided by the median.</summary>
    public double RelativeSpread => Median > 0 ? (UpperQuartile - LowerQuartile) / Median : 0;

    /// <summary>How many calls each sample timed together; each sample is their time divided by this.</summary>
    public int CallsPerSample { get; }

    /// <summary>
    /// Whether the warm-up settled before the samples were taken: every action's last two warm-up samples agreed within
    /// 10 %. False when the time budget ran out first, as on a machine busy with other work.
    /// </summary>
    public bool Settled { get; }

    /// <summary>The median, quartiles, fastest sample and count, for a quick look.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"median {Median:0.###} ms (quartiles {LowerQuartile:0.###} to {UpperQuartile:0.###}, fastest {Min:0.###}, {Count} samples of {CallsPerSample} call{(CallsPerSample == 1 ? "" : "s")})");
}
