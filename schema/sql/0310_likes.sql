-- 0310_likes.sql
-- Likes: a user likes a generation, at most once.

CREATE TABLE likes (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  generation_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_likes PRIMARY KEY (id),
  CONSTRAINT fk_likes_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT fk_likes_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_likes_generation_id FOREIGN KEY (generation_id) REFERENCES generations (id) ON DELETE CASCADE,
  -- Also serves "did I like these?" and a user's likes.
  CONSTRAINT uq_likes_user_generation UNIQUE (user_id, generation_id)
);

-- likeCount per generation (batched by a dataloader).
CREATE INDEX ix_likes_generation ON likes (generation_id);

CREATE TRIGGER trg_likes_updated_at
  BEFORE UPDATE ON likes
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_likes_tenant_match
  BEFORE INSERT OR UPDATE OF tenant_id, user_id, generation_id ON likes
  FOR EACH ROW EXECUTE FUNCTION enforce_tenant_match('user_id', 'users', 'generation_id', 'generations');

COMMENT ON TABLE likes IS 'A user''s like of a generation; unique per (user, generation).';
