using System.Text.Json;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="Spectrum"/> and <see cref="Decimation.LowPassKernel"/> against numpy: <c>numpy.fft.rfft</c> of fixed
/// signals and numpy's Blackman-windowed sinc, stored in <c>tests/fixtures/audio_reference.json</c> by
/// <c>tests/fixtures/generate_audio_fixtures.py</c>.
/// </summary>
public sealed class AudioReferenceTests
{
    private static JsonElement Root => Fixtures.Root("audio_reference.json");

    public static TheoryData<string> SpectrumCases => Names("spectra");

    public static TheoryData<string> KernelCases => Names("low_pass");

    private static TheoryData<string> Names(string group)
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in Root.GetProperty(group).EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonElement Case(string group, string name) =>
        Root.GetProperty(group).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static double[] Doubles(JsonElement c, string property) =>
        c.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: numpy {expected[i]:R}, helper {actual[i]:R}");
        }
    }

    [Fact]
    public void Fixture_records_its_generator_and_has_cases()
    {
        Assert.Equal("tests/fixtures/generate_audio_fixtures.py", Root.GetProperty("generator").GetString());
        Assert.True(Root.GetProperty("spectra").GetArrayLength() >= 3);
        Assert.True(Root.GetProperty("low_pass").GetArrayLength() >= 3);
    }

    [Theory]
    [MemberData(nameof(SpectrumCases))]
    public void Spectrum_matches_numpy_rfft(string name)
    {
        JsonElement c = Case("spectra", name);
        float[] samples = Doubles(c, "samples").Select(v => (float)v).ToArray();
        int rate = c.GetProperty("sample_rate").GetInt32();

        Spectrum plain = Spectrum.Of(samples, rate);
        Spectrum hann = Spectrum.Of(samples, rate, hann: true);

        Close(Doubles(c, "frequencies"), plain.Frequencies, 1e-12, "frequencies");
        Close(Doubles(c, "amplitude"), plain.Amplitude, 1e-9, "amplitude");
        Close(Doubles(c, "hann_amplitude"), hann.Amplitude, 1e-9, "hann amplitude");
        Close(Doubles(c, "power"), plain.Power, 1e-9, "power");
        Close(Doubles(c, "power"), hann.Power, 1e-9, "power of the windowed spectrum");
    }

    [Theory]
    [MemberData(nameof(KernelCases))]
    public void Low_pass_kernel_matches_numpy(string name)
    {
        JsonElement c = Case("low_pass", name);
        Tensor kernel = Decimation.LowPassKernel(c.GetProperty("cutoff").GetDouble(), c.GetProperty("taps").GetInt32(),
            c.GetProperty("sample_rate").GetInt32());

        double[] expected = Doubles(c, "taps_values");
        Assert.Equal(new[] { 1, 1, expected.Length }, kernel.Shape);
        // float32 taps: absolute, since the outer taps are near zero.
        float[] actual = kernel.ToArray();
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-7, $"tap {k}: numpy {expected[k]:R}, helper {actual[k]:R}");
        }
    }
}
