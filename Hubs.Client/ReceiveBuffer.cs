using System.Buffers;

namespace Hubs.Client;

/// <summary>
/// Bytes received but not yet parsed. WebSocket frames and hub messages need not line up (one frame may hold
/// several 0x1e-terminated messages, or part of one), so the parser works on whatever has accumulated.
/// </summary>
internal sealed class ReceiveBuffer
{
    // A message larger than this is a broken or hostile server; failing the connection beats exhausting memory.
    private const int MaxBufferedBytes = 64 * 1024 * 1024;
    private const int MinimumReadSize = 4096;

    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>The unparsed bytes.</summary>
    public ReadOnlySequence<byte> Unparsed => new(_buffer, _start, _end - _start);

    /// <summary>Free space to receive into, compacting or growing as needed.</summary>
    public Memory<byte> GetFreeSpace()
    {
        if (_buffer.Length - _end >= MinimumReadSize)
        {
            return _buffer.AsMemory(_end);
        }

        var unparsed = _end - _start;
        if (_buffer.Length - unparsed < MinimumReadSize)
        {
            if (_buffer.Length >= MaxBufferedBytes)
            {
                throw new InvalidDataException($"The server sent a message larger than {MaxBufferedBytes} bytes.");
            }

            var grown = new byte[_buffer.Length * 2];
            Buffer.BlockCopy(_buffer, _start, grown, 0, unparsed);
            _buffer = grown;
        }
        else
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, unparsed);
        }

        _start = 0;
        _end = unparsed;
        return _buffer.AsMemory(_end);
    }

    public void Advance(int count) => _end += count;

    /// <summary>Drops what the parser consumed; <paramref name="remaining"/> is the sequence it left.</summary>
    public void Consumed(ReadOnlySequence<byte> remaining)
    {
        _start = _end - (int)remaining.Length;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }
}
