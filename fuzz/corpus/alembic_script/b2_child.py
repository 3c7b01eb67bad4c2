"""the child, in a sub-directory

Create Date: 2024-03-02 10:00:00
"""
revision: str = "b2"
down_revision: Union[str, None] = "a1"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None
