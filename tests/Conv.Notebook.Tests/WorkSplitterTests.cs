namespace Conv.Notebook.Tests;

/// <summary>
/// The thread splitter behind the fast kernels: every item runs exactly once whatever the thread count, errors reach
/// the caller, and calls from many threads at once (as notebooks and tests make) do not mix their items.
/// </summary>
public sealed class WorkSplitterTests
{
    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(5, 1)]
    [InlineData(1000, 2)]
    [InlineData(1000, 64)]
    [InlineData(100000, 3)]
    public void For_RunsEveryItemExactlyOnce(int count, int threads)
    {
        var perItem = new int[count];
        WorkSplitter.For(count, threads, i => Interlocked.Increment(ref perItem[i]));
        Assert.All(perItem, n => Assert.Equal(1, n));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void For_PassesAnItemsExceptionToTheCaller(int threads)
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            WorkSplitter.For(100, threads, i => { if (i == 7) throw new InvalidOperationException("item 7"); }));
        Assert.Equal("item 7", e.Message);
    }

    [Fact]
    public void For_KeepsConcurrentCallsApart()
    {
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, call =>
        {
            var perItem = new int[500 + call];
            WorkSplitter.For(perItem.Length, 3, i => Interlocked.Increment(ref perItem[i]));
            Assert.All(perItem, n => Assert.Equal(1, n));
        });
    }

    [Fact]
    public void For_CalledFromInsideAnItemRunsEveryInnerItemOnce()
    {
        var perItem = new int[40, 30];
        WorkSplitter.For(40, 2, i => WorkSplitter.For(30, 2, j => Interlocked.Increment(ref perItem[i, j])));
        Assert.All(perItem.Cast<int>(), n => Assert.Equal(1, n));
    }

    [Fact]
    public void For_BackToBackCallsEachRunEveryItemOnce()
    {
        // Consecutive calls reuse the same workers while they are still looking for work; none may run a stale item.
        for (int call = 0; call < 2000; call++)
        {
            var perItem = new int[1 + call % 7];
            WorkSplitter.For(perItem.Length, 2, i => Interlocked.Increment(ref perItem[i]));
            Assert.All(perItem, n => Assert.Equal(1, n));
        }
    }

    [Fact]
    public void Convolution_FromManyThreadsAtOnceEqualsTheReference()
    {
        var rng = new Random(11);
        Tensor x = FastConvolutionTests.Random(rng, [1, 8, 30, 30]);
        Tensor w = FastConvolutionTests.Random(rng, [12, 8, 3, 3]);
        Tensor expected = ConvolutionReference.Conv2d(x, w, padding: (1, 1), stride: (2, 2));
        Parallel.For(0, 12, new ParallelOptions { MaxDegreeOfParallelism = 6 }, _ =>
        {
            Tensor actual = Convolution.Forward("Conv2d", false, x, w, null, (2, 2), (1, 1), (1, 1), 1, PaddingMode.Zeros,
                new Convolution.Route(Convolution.Path.Fast, null, 2));
            FastConvolutionTests.AssertSame(expected, actual, "concurrent call");
        });
    }
}

/// <summary>
/// The splitter's pace: how many calls run alone is process-wide, so these tests run where no other test's calls count
/// them off.
/// </summary>
[Collection(ProcessWideCollection.Name)]
public sealed class WorkSplitterPaceTests
{
    /// <summary>
    /// A worker that finishes its share late (here it sleeps, as a worker does whose core another process holds) makes
    /// the next calls run on the caller's thread alone; a call whose workers keep pace lets the team back in.
    /// </summary>
    [Fact]
    public void A_late_worker_keeps_the_next_calls_on_the_callers_thread()
    {
        if (Environment.ProcessorCount < 2) return;
        while (WorkSplitter.Threads(2) == 1) { }  // calls of earlier tests may have left some to run alone
        int caller = Environment.CurrentManagedThreadId;
        int lateCalls = 0;
        for (int attempt = 0; attempt < 200 && WorkSplitter.Threads(2) == 2; attempt++)
        {
            // The caller's item takes 0.3 ms, long enough for a worker to join and take the other, which it is late with.
            WorkSplitter.For(2, 2, i =>
            {
                if (Environment.CurrentManagedThreadId != caller) Thread.Sleep(5);
                else Thread.SpinWait(1000);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (Environment.CurrentManagedThreadId == caller && clock.Elapsed.TotalMilliseconds < 0.3) Thread.SpinWait(10);
            });
            lateCalls++;
        }
        Assert.True(lateCalls < 200, "no worker ever joined a call to be late");
        int alone = 1;
        while (WorkSplitter.Threads(2) == 1) alone++;
        Assert.InRange(alone, 4, 1024);
        Assert.Equal(2, WorkSplitter.Threads(2));
    }
}
