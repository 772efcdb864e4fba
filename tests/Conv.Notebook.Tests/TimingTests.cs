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
    [Fact]
    public void Measure_calls_the_action_warmup_plus_repeats_times_and_returns_repeats_samples()
    {
        int calls = 0;
        TimingSamples t = Timing.Measure(() => calls++, repeats: 5, warmup: 3);
        Assert.Equal(8, calls);
        Assert.Equal(5, t.Count);
        Assert.Equal(5, t.Milliseconds.Count);
    }

    [Fact]
    public void Calls_per_sample_multiply_the_calls()
    {
        int calls = 0;
        TimingSamples t = Timing.Measure(() => calls++, repeats: 4, warmup: 1, callsPerSample: 10);
        Assert.Equal((1 + 4) * 10, calls);
        Assert.Equal(4, t.Count);
    }

    [Fact]
    public void No_warmup_means_only_the_timed_calls()
    {
        int calls = 0;
        Timing.Measure(() => calls++, repeats: 2, warmup: 0);
        Assert.Equal(2, calls);
    }

    [Fact]
    public void Every_sample_lasts_at_least_as_long_as_the_work_it_timed()
    {
        // A busy wait of at least 2 ms per call: no sample can be shorter, however the machine is loaded.
        static void Spin()
        {
            long start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 2) { }
        }
        TimingSamples t = Timing.Measure(Spin, repeats: 3, warmup: 0);
        Assert.All(t.Milliseconds, ms => Assert.True(ms >= 2, $"a sample of {ms} ms is shorter than the 2 ms of work"));

        TimingSamples perCall = Timing.Measure(Spin, repeats: 2, warmup: 0, callsPerSample: 3);
        Assert.All(perCall.Milliseconds, ms => Assert.True(ms >= 2, $"a per-call time of {ms} ms is shorter than one call"));
    }

    [Fact]
    public void Interleaved_runs_the_actions_round_robin_warmup_first()
    {
        var order = new List<char>();
        TimingSamples[] t = Timing.Interleaved([() => order.Add('a'), () => order.Add('b'), () => order.Add('c')],
            repeats: 2, warmup: 1);
        Assert.Equal("abcabcabc", new string(order.ToArray()));
        Assert.Equal(3, t.Length);
        Assert.All(t, s => Assert.Equal(2, s.Count));
    }

    [Fact]
    public void Interleaved_keeps_each_actions_samples_with_it()
    {
        static void Spin(double ms)
        {
            long start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < ms) { }
        }
        TimingSamples[] t = Timing.Interleaved([() => { }, () => Spin(3)], repeats: 3, warmup: 0);
        Assert.All(t[1].Milliseconds, ms => Assert.True(ms >= 3));
        Assert.True(t[0].Min < t[1].Min, "the empty action should be faster than a 3 ms busy wait");
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
        Assert.Equal("repeats", Assert.Throws<ArgumentOutOfRangeException>(() => Timing.Measure(() => { }, repeats: 0)).ParamName);
        Assert.Equal("warmup", Assert.Throws<ArgumentOutOfRangeException>(() => Timing.Measure(() => { }, 1, warmup: -1)).ParamName);
        Assert.Equal("callsPerSample",
            Assert.Throws<ArgumentOutOfRangeException>(() => Timing.Measure(() => { }, 1, 0, callsPerSample: 0)).ParamName);
    }

    [Fact]
    public void Bad_actions_are_refused_before_any_call()
    {
        int calls = 0;
        Assert.Throws<ArgumentNullException>(() => Timing.Measure(null!, 1));
        Assert.Equal("actions", Assert.Throws<ArgumentException>(() => Timing.Interleaved([], 1)).ParamName);
        Assert.Equal("actions", Assert.Throws<ArgumentNullException>(() => Timing.Interleaved([() => calls++, null!], 1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Timing.Interleaved([() => calls++], repeats: 0));
        Assert.Equal(0, calls);
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
