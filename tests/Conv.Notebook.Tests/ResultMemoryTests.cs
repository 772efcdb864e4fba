using System.Runtime.CompilerServices;

namespace Conv.Notebook.Tests;

/// <summary>
/// Tests that read process-wide state run alone: other tests' results would share the pool, and their calls would count
/// off the splitter's calls that run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "ProcessWide";
}

/// <summary>
/// The reuse of large results' memory (<see cref="ResultMemory"/>): memory is lent again only after every tensor that
/// held it is gone (tensors kept alive, reshaped views, temporaries fed to the next call, several threads and forced
/// collections at once never see another tensor's elements), it is really reused, and what the pool holds back stays
/// within its limits.
/// </summary>
[Collection(ProcessWideCollection.Name)]
public sealed class ResultMemoryTests
{
    // A 16-channel 3 × 3 layer on 24 × 24: outputs of 9,216 floats (36 KB), above the pool's 4,096.
    private static readonly Tensor X = Tensor.Randn(1, 1, 16, 24, 24);
    private static readonly Tensor W = Tensor.Randn(2, 16, 16, 3, 3);

    private static Tensor Layer(Tensor x, Tensor w) => Convolution.Conv2d(x, w, padding: (1, 1));

    private static readonly System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;

    /// <summary>The array that holds a tensor's elements.</summary>
    private static float[] Elements(Tensor t) => (float[])typeof(Tensor).GetField("_data", Private)!.GetValue(t)!;

    private static object? Owner(Tensor t) => typeof(Tensor).GetField("_owner", Private)!.GetValue(t);

    [Fact]
    public void Results_above_the_minimum_are_lent_and_smaller_ones_are_not()
    {
        Tensor large = Layer(X, W);
        Tensor small = Convolution.Conv2d(Tensor.Randn(3, 1, 1, 8, 8), Tensor.Randn(4, 1, 1, 3, 3));

        Assert.True(large.Length >= ResultMemory.MinimumLength);
        Assert.True(small.Length < ResultMemory.MinimumLength);
        Assert.NotNull(Owner(large));
        Assert.Null(Owner(small));
        Assert.Same(Owner(large), Owner(large.Reshape(-1)));
    }


    /// <summary>
    /// Many results, a random third kept alive with a copy of their elements, the rest dropped; collections in between.
    /// Every kept tensor still holds its own elements at the end, and the dropped ones' memory was lent again (the same
    /// addresses came back), so the test is not passing for want of reuse.
    /// </summary>
    [Fact]
    public void Kept_results_keep_their_elements_while_dropped_ones_memory_is_reused()
    {
        var rng = new Random(7);
        var kept = new List<(Tensor Tensor, float[] Copy)>();
        var dropped = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        int reused = 0;
        for (int i = 0; i < 400; i++)
        {
            Tensor x = Tensor.Randn(100 + i, 1, 16, 24, 24);
            Tensor y = Layer(x, W);
            Assert.DoesNotContain(kept, k => ReferenceEquals(Elements(k.Tensor), Elements(y)));
            if (dropped.Contains(Elements(y))) reused++;
            if (rng.Next(3) == 0) kept.Add((y, y.ToArray()));
            else dropped.Add(Elements(y));
            if (i % 50 == 49) GC.Collect();
        }
        foreach ((Tensor tensor, float[] copy) in kept) Assert.Equal(copy, tensor.ToArray());
        Assert.True(reused > 100, $"only {reused} of 400 results reused a dropped result's memory");
    }

    /// <summary>A reshaped view keeps the elements it shares with a tensor that is gone.</summary>
    [Fact]
    public void A_reshaped_view_keeps_its_elements_after_the_original_is_gone()
    {
        (Tensor view, float[] copy) = ViewOfDroppedResult();
        for (int i = 0; i < 300; i++)
        {
            GC.KeepAlive(Layer(Tensor.Randn(i, 1, 16, 24, 24), W));
            if (i % 30 == 0) GC.Collect();
        }
        Assert.Equal(copy, view.ToArray());
        Assert.Equal([16 * 24 * 24], view.Shape);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Tensor View, float[] Copy) ViewOfDroppedResult()
    {
        Tensor original = Layer(X, W);
        return (original.Reshape(-1), original.ToArray());
    }

    /// <summary>
    /// Two threads chain calls whose inputs are temporaries (the result of the call before, held by nothing else) and
    /// check every result against the same chain computed once at the start, while a third thread makes results of the
    /// same sizes and forces collections: an input lent again while a call still reads it would change a result.
    /// </summary>
    [Fact]
    public async Task Temporaries_fed_to_the_next_call_are_not_lent_again_while_it_reads_them()
    {
        Tensor image = Tensor.Randn(3, 1, 64, 112, 112);
        float[] expectedConv = ConvChain().ToArray();
        float[] expectedPad = PadChain(image).ToArray();
        // Threads of their own (long-running tasks), so that the thread pool's pace of adding threads plays no part.
        Task Start(Action body) => Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var checks = Enumerable.Range(0, 2).Select(_ => Start(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                Assert.Equal(expectedConv, ConvChain().ToArray());
                Assert.Equal(expectedPad, PadChain(image).ToArray());
            }
        })).ToArray();
        Task noise = Start(() =>
        {
            // A collection, then results of the temporaries' sizes at once: a temporary found dead would be the first
            // array lent again, and overwritten.
            while (!checks.All(c => c.IsCompleted))
            {
                GC.Collect(0);
                GC.KeepAlive(Padding.Pad(image, [1, 1, 1, 1], PaddingMode.Reflect));
                GC.KeepAlive(Layer(X, W));
            }
        });
        await Task.WhenAll([noise, .. checks]);
    }

    private static Tensor ConvChain() => Layer(Layer(Layer(X, W), W), W);

    // Padding and pooling read their inputs throughout (a convolution reads its input only while packing it).
    private static Tensor PadChain(Tensor image) =>
        Pooling.MaxPool2d(Padding.Pad(Padding.Pad(image, [1, 1, 1, 1], PaddingMode.Reflect), [2, 2, 2, 2]), (2, 2));

    /// <summary>
    /// A loop of calls that drops every result cycles through a fixed set of arrays, about <see cref="ResultMemory.CollectAfter"/>
    /// bytes of them, and the pool starts at most one collection per that many bytes lent; the free bytes it keeps stay
    /// within <see cref="ResultMemory.MaxIdleBytes"/>.
    /// </summary>
    [Fact]
    public void Memory_held_back_and_collections_stay_within_the_limits()
    {
        Tensor x = Tensor.Randn(5, 1, 64, 56, 56);
        Tensor w = Tensor.Randn(6, 64, 64, 3, 3);
        long bytes = 64L * 56 * 56 * sizeof(float);
        for (int i = 0; i < 40; i++) GC.KeepAlive(Convolution.Conv2d(x, w, padding: (1, 1)));
        var arrays = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        int before = GC.CollectionCount(0);
        const int Calls = 200;
        for (int i = 0; i < Calls; i++)
        {
            arrays.Add(Elements(Convolution.Conv2d(x, w, padding: (1, 1))));
            Assert.True(ResultMemory.IdleBytes <= ResultMemory.MaxIdleBytes, $"call {i}: {ResultMemory.IdleBytes} bytes idle");
        }
        int collections = GC.CollectionCount(0) - before;
        long cycle = ResultMemory.CollectAfter(bytes) / bytes;
        Assert.InRange(arrays.Count, cycle, cycle + 2);
        Assert.InRange(collections, Calls / (cycle + 2), Calls / cycle + 2);
    }

    /// <summary>Results of many sizes, each dropped: the free arrays kept never exceed the limit, the oldest going first.</summary>
    [Fact]
    public void Free_memory_of_many_sizes_stays_within_the_limit()
    {
        for (int size = 20; size < 200; size += 3)
        {
            GC.KeepAlive(Padding.Pad(Tensor.Zeros(64, size, size), [8, 8, 8, 8]));
            if (size % 9 == 2) GC.Collect(0);
            Assert.True(ResultMemory.IdleBytes <= ResultMemory.MaxIdleBytes, $"size {size}: {ResultMemory.IdleBytes} bytes idle");
        }
        GC.Collect();
        Assert.True(ResultMemory.IdleBytes <= ResultMemory.MaxIdleBytes);
        Assert.True(ResultMemory.MaxIdleBytes <= 256L << 20);
    }
}
