using System.Text;

namespace Conv.Notebook.Tests;

/// <summary>
/// Input that is well-typed but malformed: a WAV file whose header gives no usable sample rate or whose data ends in half a
/// sample, and a map that returns no tensor, are refused with an <see cref="ArgumentException"/> naming the parameter.
/// </summary>
public sealed class MalformedInputTests
{
    // A mono 16-bit PCM WAV file written field by field, so that its header can say what no writer would.
    private static byte[] WavFile(int sampleRate, byte[] data)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.ASCII, leaveOpen: true))
        {
            int padded = data.Length + (data.Length % 2);
            writer.Write("RIFF"u8);
            writer.Write(36 + padded);
            writer.Write("WAVEfmt "u8);
            writer.Write(16);
            writer.Write((short)1);
            writer.Write((short)1);
            writer.Write(sampleRate);
            writer.Write(unchecked(sampleRate * 2));
            writer.Write((short)2);
            writer.Write((short)16);
            writer.Write("data"u8);
            writer.Write(data.Length);
            writer.Write(data);
            if (padded != data.Length) writer.Write((byte)0);
        }
        return memory.ToArray();
    }

    [Fact]
    public void A_hand_written_wav_file_decodes()
    {
        var (samples, rate) = Wav.Decode(WavFile(8000, [0xFF, 0x7F, 0x01, 0x80]));

        Assert.Equal(8000, rate);
        Assert.Equal([1f, -1f], samples);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(int.MinValue)]
    public void Decode_refuses_a_sample_rate_below_one(int sampleRate)
    {
        var e = Assert.Throws<ArgumentException>(() => Wav.Decode(WavFile(sampleRate, [0, 0, 1, 0])));

        Assert.Equal("wav", e.ParamName);
        Assert.Contains($"gives {sampleRate}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Decode_refuses_a_data_chunk_of_half_a_sample(int bytes)
    {
        var e = Assert.Throws<ArgumentException>(() => Wav.Decode(WavFile(8000, new byte[bytes])));

        Assert.Equal("wav", e.ParamName);
        Assert.Contains($"holds {bytes} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MatrixOf_refuses_a_map_that_returns_null()
    {
        var atZeros = Assert.Throws<ArgumentException>(() => FractionalStride.MatrixOf(_ => null!, 4));
        Assert.Equal("map", atZeros.ParamName);
        Assert.Contains("null for zeros", atZeros.Message, StringComparison.Ordinal);

        int calls = 0;
        var atOneHot = Assert.Throws<ArgumentException>(() => FractionalStride.MatrixOf(x => calls++ < 2 ? x : null!, 4));
        Assert.Equal("map", atOneHot.ParamName);
        Assert.Contains("null for one-hot 1", atOneHot.Message, StringComparison.Ordinal);
    }
}
