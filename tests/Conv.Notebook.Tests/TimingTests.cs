using System.Diagnostics;
using System.Text.Json;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="Timing"/> and <see cref="TimingSamples"/>: how often and in which order the actions run, that every
/// sample is at least as long as the work it timed, the order statistics against numpy
/// (<c>tests/fixtures/statistics_reference.json</c>), and bad input.
/// </summary>
public sealed class TimingTests
{
    private static void Spin(double ms)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < ms) { }
    }

    [Fact]
    public void Measure_takes_the_asked_samples_each_of_enough_calls_to_last_the_least_time()
    {
        TimingSamples quick = Timing.Measure(() => Spin(0.01), samples: 5, minSampleMs: 2);
        Assert.Equal(5, quick.Count);
        // One call lasts at least 0.01 ms, so a sample of 2 ms holds at most 200 of them, and well over one.
        Assert.InRange(quick.CallsPerSample, 20, 200);
        Assert.All(quick.Milliseconds, ms => Assert.True(ms >= 0.01, $"a per-call time of {ms} ms is shorter than one call's work"));

        TimingSamples slow = Timing.Measure(() => Spin(3), samples: 3, minSampleMs: 1);
        Assert.Equal(1, slow.CallsPerSample);
        Assert.All(slow.Milliseconds, ms => Assert.True(ms >= 3, $"a sample of {ms} ms is shorter than the 3 ms of work"));
    }

    [Fact]
    public void Interleaved_takes_one_sample_of_every_action_per_round_in_order()
    {
        var order = new List<char>();
        TimingSamples[] t = Timing.Interleaved([() => order.Add('a'), () => order.Add('b'), () => order.Add('c')],
            samples: 4, minSampleMs: 0.05);
        Assert.Equal(3, t.Length);
        Assert.All(t, s => Assert.Equal(4, s.Count));
        // The timed rounds are the end of the list: blocks of each action's calls per sample, a, b, c, four times.
        string expected = string.Concat(Enumerable.Repeat(
            new string('a', t[0].CallsPerSample) + new string('b', t[1].CallsPerSample) + new string('c', t[2].CallsPerSample), 4));
        string all = new(order.ToArray());
        Assert.EndsWith(expected, all, StringComparison.Ordinal);
    }

    [Fact]
    public void Interleaved_keeps_each_actions_samples_with_it()
    {
        TimingSamples[] t = Timing.Interleaved([() => { }, () => Spin(3)], samples: 3, minSampleMs: 1);
        Assert.All(t[1].Milliseconds, ms => Assert.True(ms >= 3));
        Assert.True(t[0].Min < t[1].Min, "the empty action should be faster than a 3 ms busy wait");
    }

    [Fact]
    public void The_budget_stops_the_rounds_after_the_third_and_the_warm_up_that_does_not_settle()
    {
        int calls = 0;
        // Each call takes longer than the last, so the warm-up never settles; 20 ms a sample against a 100 ms budget.
        TimingSamples t = Timing.Measure(() => Spin(20 + calls++), samples: 9, minSampleMs: 1, budgetMs: 100);
        Assert.Equal(3, t.Count);
        Assert.False(t.Settled);
    }

    [Fact]
    public void Order_statistics_match_numpy()
    {
        // np.median(x), np.quantile(x, 0.25 | 0.75, method="median_unbiased"), x.min(), x.max(), len(x), from the fixture.
        JsonElement c = StatisticsFixture.Get("order_statistics");
        var t = new TimingSamples(StatisticsFixture.Doubles(c, "samples"));
        Assert.Equal(c.GetProperty("median").GetDouble(), t.Median, 12);
        Assert.Equal(c.GetProperty("lower_quartile").GetDouble(), t.LowerQuartile, 12);
        Assert.Equal(c.GetProperty("upper_quartile").GetDouble(), t.UpperQuartile, 12);
        Assert.Equal(c.GetProperty("min").GetDouble(), t.Min);
        Assert.Equal(c.GetProperty("max").GetDouble(), t.Max);
        Assert.Equal(c.GetProperty("count").GetInt32(), t.Count);
        // The fixture's median, 4.2, as ToString prints it.
        Assert.Contains("median 4.2 ms", t.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Samples_are_copied_and_kept_in_order()
    {
        double[] raw = [3, 1, 2];
        var t = new TimingSamples(raw);
        raw[0] = 100;
        Assert.Equal([3.0, 1.0, 2.0], t.Milliseconds);
    }

    [Fact]
    public void Bad_counts_name_the_parameter()
    {
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => Timing.Measure(() => { }, samples: 2)).ParamName);
        Assert.Equal("minSampleMs", Assert.Throws<ArgumentOutOfRangeException>(() => Timing.Measure(() => { }, minSampleMs: 0)).ParamName);
        Assert.Equal("minSampleMs", Assert.Throws<ArgumentOutOfRangeException>(() => Timing.Measure(() => { }, minSampleMs: double.NaN)).ParamName);
        Assert.Equal("budgetMs", Assert.Throws<ArgumentOutOfRangeException>(() => Timing.Measure(() => { }, budgetMs: -1)).ParamName);
        Assert.Equal("callsPerSample", Assert.Throws<ArgumentOutOfRangeException>(() => new TimingSamples([1], callsPerSample: 0)).ParamName);
    }

    [Fact]
    public void Bad_actions_are_refused_before_any_call()
    {
        int calls = 0;
        Assert.Throws<ArgumentNullException>(() => Timing.Measure(null!));
        Assert.Equal("actions", Assert.Throws<ArgumentException>(() => Timing.Interleaved([])).ParamName);
        Assert.Equal("actions", Assert.Throws<ArgumentNullException>(() => Timing.Interleaved([() => calls++, null!])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Timing.Interleaved([() => calls++], samples: 0));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void A_ratio_is_taken_round_by_round()
    {
        var slow = new TimingSamples([2, 4, 6, 8, 30]);
        var fast = new TimingSamples([1, 2, 2, 4, 10]);
        TimingRatio r = TimingRatio.Of(slow, fast);
        Assert.Equal([2.0, 2.0, 3.0, 2.0, 3.0], r.Rounds);
        Assert.Equal(2, r.Median);
        Assert.True(r.LowerQuartile <= r.Median && r.Median <= r.UpperQuartile);
        Assert.Equal("denominator", Assert.Throws<ArgumentException>(() => TimingRatio.Of(slow, new TimingSamples([1, 2]))).ParamName);
    }

    [Fact]
    public void Bad_samples_are_refused()
    {
        Assert.Equal("milliseconds", Assert.Throws<ArgumentException>(() => new TimingSamples([])).ParamName);
        Assert.Equal("milliseconds", Assert.Throws<ArgumentOutOfRangeException>(() => new TimingSamples([1, -0.5])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimingSamples([double.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimingSamples([double.PositiveInfinity]));
        Assert.Throws<ArgumentNullException>(() => new TimingSamples(null!));
    }
}
