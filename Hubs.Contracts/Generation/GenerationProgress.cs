namespace Hubs.Contracts.Generation;

/// <summary>
/// What project subscribers see of a generation they watch: the <c>data</c> of a <c>ProjectUpdated</c> with type
/// <see cref="UpdateType"/>. Wire: <c>{"generation_id","user_id","update":{...}}</c>.
/// </summary>
public sealed record GenerationProgress(string GenerationId, string UserId, GenerationUpdate Update)
{
    public const string UpdateType = "generation_update";
}
