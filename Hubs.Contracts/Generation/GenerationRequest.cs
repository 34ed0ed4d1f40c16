namespace Hubs.Contracts.Generation;

/// <summary>A content-generation request. Wire: <c>{"prompt","user_id","brand_profile_id"?,"project_id"?}</c>.</summary>
/// <param name="Prompt">What to write about; required, non-empty.</param>
/// <param name="UserId">Who asks; required, non-empty.</param>
/// <param name="BrandProfileId">Optional brand profile whose voice the content should use.</param>
/// <param name="ProjectId">
/// Optional project the generation belongs to: every update is then also published to that project's
/// subscribers (<c>ProjectUpdated</c> with type <c>generation_update</c>), so others can watch the stream.
/// </param>
public sealed record GenerationRequest(string Prompt, string UserId, string? BrandProfileId = null, string? ProjectId = null);
