"""Key-task supervision (重点工作督办): plans, progress rounds, notices, accountability."""
