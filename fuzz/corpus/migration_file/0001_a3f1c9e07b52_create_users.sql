-- revision: a3f1c9e07b52
-- down_revision: none
-- message: create users
-- create_date: 2025-06-03 10:12:00

-- +upgrade
CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email varchar(255) NOT NULL,
    full_name varchar(200),
    hashed_password varchar(255) NOT NULL,
    is_active boolean NOT NULL DEFAULT TRUE,
    is_admin boolean NOT NULL DEFAULT FALSE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_users_email UNIQUE (email),
    CONSTRAINT ck_users_email_format CHECK (position('@' in email) > 1)
);

-- +downgrade
DROP TABLE users;
