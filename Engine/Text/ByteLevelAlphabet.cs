namespace OrleansSlm.Engine.Text;

/// <summary>
/// GPT-2's byte-to-character table: byte-level BPE vocabularies spell every byte as one printable character,
/// so <c>vocab.json</c> and <c>merges.txt</c> never hold whitespace or control characters.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildTable();

    public static char CharForByte(byte value) => ByteToChar[value];

    public static string Spell(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = ByteToChar[bytes[i]];
        }

        return new string(chars);
    }

    private static char[] BuildTable()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }

        return table;
    }
}
