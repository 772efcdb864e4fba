using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Conv.Notebook;

/// <summary>
/// Wall-clock timings of repeated calls that hold up on a busy or unfamiliar machine: each sample lasts at least a
/// minimum time (the calls per sample are chosen so), rounds are warmed up until the times settle, everything fits a time
/// budget, and the samples are kept so that a notebook can show their spread and compare timings round by round
/// (<see cref="TimingRatio"/>).
/// </summary>
/// <example>
/// <code>
/// TimingSamples t = Timing.Measure(() => Convolution.Conv2d(x, w, padding: (1, 1)));
/// double ms = t.Min;   // the fastest sample, per call
/// </code>
/// </example>
public static class Timing
{
    /// <summary>Times <paramref name="action"/>; see <see cref="Interleaved"/> for the parameters.</summary>
    /// <param name="action">The work to time.</param>
    /// <param name="samples">The number of timed samples, at least 3.</param>
    /// <param name="minSampleMs">The least time one sample lasts, in milliseconds, above 0.</param>
    /// <param name="budgetMs">The time the whole measurement should take at most, in milliseconds, above 0.</param>
    /// <returns>The samples, in milliseconds per call.</returns>
    /// <example><code>Timing.Measure(() => Pooling.MaxPool2d(y, (2, 2))).Median</code></example>
    public static TimingSamples Measure(Action action, int samples = 9, double minSampleMs = 10, double budgetMs = 5000)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Interleaved([action], samples, minSampleMs, budgetMs)[0];
    }

    /// <summary>
    /// Times several actions in rounds, each round taking one sample of every action in turn, so that whatever drifts
    /// during the measurement (other programs, the processor's clock) affects all of them alike and their ratios, round
    /// by round, stay fair.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each sample times as many calls as last at least <paramref name="minSampleMs"/>: a call of a microsecond is too
    /// short to time alone, and a sample of many calls averages out the machine's timer ticks. Untimed warm-up rounds
    /// come first, until every action's sample is within 10 % of its previous one (the code compiled, the memory reused,
    /// the worker threads awake), for at most a third of <paramref name="budgetMs"/>. Then come up to
    /// <paramref name="samples"/> timed rounds; once the budget is spent, no round after the third starts. The result says
    /// whether the warm-up settled and how many samples were taken.
    /// </para>
    /// <para>Compiled optimised from its first call, so that its own loop adds nothing to the first samples.</para>
    /// </remarks>
    /// <param name="actions">The work to time, at least one action.</param>
    /// <param name="samples">The most timed rounds, at least 3: each action gets one sample per round.</param>
    /// <param name="minSampleMs">The least time one sample lasts, in milliseconds, above 0.</param>
    /// <param name="budgetMs">The time the whole measurement should take at most, in milliseconds, above 0.</param>
    /// <returns>The samples of each action, in the order of <paramref name="actions"/>, in milliseconds per call.</returns>
    /// <example>
    /// <code>
    /// var times = Timing.Interleaved([() => Convolution.Conv2d(x, w, stride: (1, 1)),
    ///                                 () => Convolution.Conv2d(x, w, stride: (2, 2))]);
    /// TimingRatio speedUp = TimingRatio.Of(times[0], times[1]);
    /// </code>
    /// </example>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TimingSamples[] Interleaved(IReadOnlyList<Action> actions, int samples = 9, double minSampleMs = 10, double budgetMs = 5000)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0) throw new ArgumentException("There must be at least one action to time, but actions is empty.", nameof(actions));
        for (int i = 0; i < actions.Count; i++)
        {
            if (actions[i] is null) throw new ArgumentNullException(nameof(actions), $"actions[{i}] is null.");
        }
        if (samples < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples,
                $"The number of samples must be at least 3, for a median and quartiles, but it is {samples}.");
        }
        Positive(minSampleMs, nameof(minSampleMs), "least time of a sample");
        Positive(budgetMs, nameof(budgetMs), "time budget");

        long start = Stopwatch.GetTimestamp();
        double Elapsed() => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        int count = actions.Count;
        var calls = new int[count];
        var previous = new double[count];
        for (int a = 0; a < count; a++)
        {
            actions[a]();
            calls[a] = CallsFor(Time(actions[a], 1), 1, minSampleMs);
        }

        int warmupRounds = 0;
        bool settled = false;
        while (!settled && Elapsed() < budgetMs / 3)
        {
            settled = warmupRounds > 0;
            for (int a = 0; a < count; a++)
            {
                double total = Time(actions[a], calls[a]), perCall = total / calls[a];
                settled &= Math.Abs(perCall - previous[a]) <= 0.1 * Math.Min(perCall, previous[a]);
                previous[a] = perCall;
                // A sample that came out well short of the least time (the first calls' estimate was slow) is lengthened.
                if (total < 0.8 * minSampleMs)
                {
                    calls[a] = CallsFor(total, calls[a], minSampleMs);
                    settled = false;
                }
            }
            warmupRounds++;
        }

        var times = new List<double>[count];
        for (int a = 0; a < count; a++) times[a] = new List<double>(samples);
        for (int round = 0; round < samples && (round < 3 || Elapsed() < budgetMs); round++)
        {
            for (int a = 0; a < count; a++) times[a].Add(Time(actions[a], calls[a]) / calls[a]);
        }
        var result = new TimingSamples[count];
        for (int a = 0; a < count; a++) result[a] = new TimingSamples(times[a].ToArray(), calls[a], settled);
        return result;
    }

    /// <summary>Milliseconds that <paramref name="calls"/> calls of <paramref name="action"/> take together.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Time(Action action, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int call = 0; call < calls; call++) action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>The calls that fill <paramref name="minSampleMs"/>, from <paramref name="calls"/> calls that took <paramref name="ms"/>.</summary>
    private static int CallsFor(double ms, int calls, double minSampleMs)
    {
        double perCall = Math.Max(ms / calls, 1e-6);
        return (int)Math.Clamp(Math.Ceiling(minSampleMs / perCall), 1, 100_000_000);
    }

    private static void Positive(double value, string paramName, string what)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"The {what} must be a finite number of milliseconds above 0, but {paramName} is {value}.");
        }
    }
}
